import type { RateLimitConfig } from '../config';

/**
 * Per-app (QPS and QPM) and per-advertiser-per-path (QPS) limits over sliding windows of real time.
 * Only admitted requests count, so a client that backs off recovers after the window.
 */
class Window {
  private hits: number[] = [];

  count(now: number, spanMs: number): number {
    const from = now - spanMs;
    let drop = 0;
    while (drop < this.hits.length && (this.hits[drop] ?? 0) <= from) drop++;
    if (drop > 0) this.hits = this.hits.slice(drop);
    return this.hits.length;
  }

  add(now: number): void {
    this.hits.push(now);
  }
}

export interface Rejection {
  code: 40100 | 40133;
  message: string;
}

export class RateLimiter {
  private readonly apps = new Map<string, Window>();
  private readonly advertisers = new Map<string, Window>();

  constructor(
    private readonly config: () => RateLimitConfig,
    private readonly realNow: () => number = Date.now,
  ) {}

  admit(appId: string, advertiserId: string | undefined, path: string): Rejection | undefined {
    const cfg = this.config();
    if (!cfg.enabled) return undefined;
    const now = this.realNow();
    const app = this.window(this.apps, appId);
    if (app.count(now, 1_000) >= cfg.appQps || app.count(now, 60_000) >= cfg.appQpm) {
      return {
        code: 40100,
        message: `Due to too many requests, requests from App [${appId}] are temporarily restricted.`,
      };
    }
    let advertiser: Window | undefined;
    if (advertiserId) {
      advertiser = this.window(this.advertisers, `${advertiserId}|${path}`);
      const qps = advertiser.count(now, 1_000);
      if (qps >= cfg.advertiserQps) {
        return {
          code: 40133,
          message: `Advertiser (${advertiserId})'s QPS (${qps + 1}) reaches QPS limit (${cfg.advertiserQps}) for current path, request is temporarily restricted.`,
        };
      }
    }
    app.add(now);
    advertiser?.add(now);
    return undefined;
  }

  reset(): void {
    this.apps.clear();
    this.advertisers.clear();
  }

  private window(map: Map<string, Window>, key: string): Window {
    let w = map.get(key);
    if (!w) {
      w = new Window();
      map.set(key, w);
    }
    return w;
  }
}
