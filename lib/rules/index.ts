/**
 * Threshold rules, dayparting, preview and backtest: pure functions, no browser or network calls.
 */
export * from './backtest';
export * from './conflicts';
export * from './daypart';
export * from './evaluate';
export * from './metrics';
export * from './schedule';
export * from './schema';
export * from './windows';
export * from './zone';
