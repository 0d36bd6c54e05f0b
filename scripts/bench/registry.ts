import { bulk, emergencyStop } from './bulk';
import { clickToConfirmed } from './click-to-confirmed';
import { clickToRequest } from './click-to-request';
import { overlayLag } from './overlay-lag';
import { pageOverhead } from './page-overhead';
import { popup } from './popup';
import { rulesBench } from './rules';
import { size } from './size';
import type { Benchmark, PlannedBenchmark } from './types';

/**
 * Every benchmark `npm run bench` runs, in this order. To add one: write `scripts/bench/<name>.ts` exporting a
 * `Benchmark` (see types.ts: `run(options)` returns figures with targets and throws when it cannot measure),
 * add it here, remove it from PLANNED, and add `"bench:<name>"` to package.json.
 */
export const REGISTRY: readonly Benchmark[] = [
  pageOverhead,
  overlayLag,
  clickToRequest,
  clickToConfirmed,
  bulk,
  emergencyStop,
  rulesBench,
  popup,
  size,
];

/** Benchmarks of issue 8 not implemented yet: BENCHMARKS.md lists them with their targets. */
export const PLANNED: readonly PlannedBenchmark[] = [];
