/** Settings of the sandbox, with the defaults the CLI and tests start from. */

export interface RateLimitConfig {
  /** Requests per second per app (TikTok's Basic tier: 10). */
  appQps: number;
  /** Requests per minute per app (Basic tier: 600). */
  appQpm: number;
  /** Requests per second per advertiser and path. */
  advertiserQps: number;
  enabled: boolean;
}

export interface RuntimeConfig {
  /** Real milliseconds between an accepted status update and the moment it shows and takes effect. */
  processingDelayMs: number;
  /** Simulated minutes by which report metrics lag the true spend. */
  reportLatencyMinutes: number;
  rateLimits: RateLimitConfig;
  /** Whether the page shows its "New features" announcement (on by default, as Ads Manager does). */
  announcements: boolean;
}

export interface WorldSettings {
  seed: number;
  /** Campaigns of the first advertiser (10..10,000). */
  campaigns: number;
  secondAdvertiserCampaigns: number;
  /** Simulated start, ISO 8601. */
  startTime: string;
  /** Simulated seconds per real second. */
  clockSpeed: number;
}

export const DEFAULT_RUNTIME: RuntimeConfig = {
  processingDelayMs: 1_500,
  reportLatencyMinutes: 30,
  rateLimits: { appQps: 10, appQpm: 600, advertiserQps: 10, enabled: true },
  announcements: true,
};

export const DEFAULT_WORLD: WorldSettings = {
  seed: 1,
  campaigns: 1_000,
  secondAdvertiserCampaigns: 40,
  startTime: '2026-11-28T15:00:00.000Z',
  clockSpeed: 1,
};

export const MIN_CAMPAIGNS = 10;
export const MAX_CAMPAIGNS = 10_000;

export function clampCampaigns(n: number): number {
  return Math.max(MIN_CAMPAIGNS, Math.min(MAX_CAMPAIGNS, Math.floor(n)));
}
