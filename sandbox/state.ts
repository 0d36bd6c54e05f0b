import { FaultBook } from './api/faults';
import { RateLimiter } from './api/rate-limit';
import { RequestLog } from './api/request-log';
import { clampCampaigns, type RuntimeConfig, type WorldSettings } from './config';
import { World } from './world/world';

/** Everything one sandbox process holds; `reset` swaps the world for a freshly seeded one. */
export class SandboxState {
  world: World;
  readonly faults = new FaultBook();
  readonly log = new RequestLog();
  readonly limiter: RateLimiter;

  constructor(
    public settings: WorldSettings,
    public config: RuntimeConfig,
  ) {
    this.world = buildWorld(settings, config);
    this.limiter = new RateLimiter(() => this.config.rateLimits);
  }

  reset(settings: WorldSettings): void {
    this.world.dispose();
    this.settings = settings;
    this.world = buildWorld(settings, this.config);
    this.faults.clear();
    this.log.clear();
    this.limiter.reset();
  }

  setConfig(config: RuntimeConfig): void {
    this.config = config;
    this.world.processingDelayMs = config.processingDelayMs;
  }

  dispose(): void {
    this.world.dispose();
  }
}

function buildWorld(settings: WorldSettings, config: RuntimeConfig): World {
  const startMs = Date.parse(settings.startTime);
  if (Number.isNaN(startMs)) throw new Error(`invalid startTime ${settings.startTime}`);
  return new World({
    seed: settings.seed,
    campaigns: clampCampaigns(settings.campaigns),
    secondAdvertiserCampaigns: Math.max(1, Math.min(10_000, Math.floor(settings.secondAdvertiserCampaigns))),
    startMs,
    clockSpeed: settings.clockSpeed,
    processingDelayMs: config.processingDelayMs,
  });
}
