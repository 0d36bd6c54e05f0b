import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoggedRequest } from './api/request-log';
import { API_PREFIX, handleApi } from './api/router';
import { DEFAULT_RUNTIME, DEFAULT_WORLD, type RateLimitConfig, type RuntimeConfig, type WorldSettings } from './config';
import { CONTROL_PREFIX, handleControl } from './control';
import { sendText } from './http-util';
import { handlePageApi, PAGE_API_PREFIX } from './page-api';
import type { ServerContext } from './server-context';
import { SandboxState } from './state';
import { PAGE_FILES_PREFIX, PAGE_ROUTE, serveIndex, servePageFile, servePageShell } from './static-pages';
import { SANDBOX_TOKEN } from './tokens';
import type { World } from './world/world';

export { SANDBOX_APP_ID, SANDBOX_LIMITED_TOKEN, SANDBOX_TOKEN } from './tokens';

export interface SandboxOptions extends Partial<WorldSettings> {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  processingDelayMs?: number;
  reportLatencyMinutes?: number;
  rateLimits?: Partial<RateLimitConfig>;
  /** Whether the page shows its announcement pop-up (default true). */
  announcements?: boolean;
  /** Folder of the Ads Manager page's static files (default sandbox/page). */
  pageDir?: string;
}

export interface RunningSandbox {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:8787 */
  url: string;
  port: number;
  /** The current world (replaced by POST /__sandbox/reset). */
  readonly world: World;
  state: SandboxState;
  /** The demo access token (reaches every advertiser). */
  token: string;
  /** Advertiser ids of the current world, first one is the large account. */
  readonly advertiserIds: string[];
  /** The sandbox Ads Manager URL for an advertiser and level (default campaign). */
  campaignPageUrl(advertiserId: string, level?: 'campaign' | 'adgroup' | 'ad'): string;
  /** API requests received so far, optionally only those whose path contains `path`. */
  requests(path?: string): Promise<LoggedRequest[]>;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const settings: WorldSettings = {
    seed: options.seed ?? DEFAULT_WORLD.seed,
    campaigns: options.campaigns ?? DEFAULT_WORLD.campaigns,
    secondAdvertiserCampaigns: options.secondAdvertiserCampaigns ?? DEFAULT_WORLD.secondAdvertiserCampaigns,
    startTime: options.startTime ?? DEFAULT_WORLD.startTime,
    clockSpeed: options.clockSpeed ?? DEFAULT_WORLD.clockSpeed,
  };
  const config: RuntimeConfig = {
    processingDelayMs: options.processingDelayMs ?? DEFAULT_RUNTIME.processingDelayMs,
    reportLatencyMinutes: options.reportLatencyMinutes ?? DEFAULT_RUNTIME.reportLatencyMinutes,
    rateLimits: { ...DEFAULT_RUNTIME.rateLimits, ...options.rateLimits },
    announcements: options.announcements ?? DEFAULT_RUNTIME.announcements,
  };
  const state = new SandboxState(settings, config);
  const held = new Set<ServerResponse>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const ctx: ServerContext = {
    state,
    pageDir: options.pageDir ?? resolve(dirname(fileURLToPath(import.meta.url)), 'page'),
    hold: (res) => {
      held.add(res);
      res.on('close', () => held.delete(res));
    },
    later: (fn, ms) => {
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, ms);
      timers.add(t);
    },
  };

  const server = createServer((req, res) => {
    route(ctx, req, res).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!res.headersSent) sendText(res, 500, `sandbox error: ${message}`);
      else res.destroy();
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolveListen());
  });
  const address = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    get world() {
      return state.world;
    },
    state,
    token: SANDBOX_TOKEN,
    get advertiserIds() {
      return state.world.data.advertisers.map((a) => a.id);
    },
    campaignPageUrl: (advertiserId, level = 'campaign') =>
      `http://${host}:${address.port}/i18n/manage/${level}?aadvid=${encodeURIComponent(advertiserId)}`,
    requests: async (path) => state.log.list(path),
    close: () =>
      new Promise<void>((resolveClose) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        for (const res of held) res.destroy();
        state.dispose();
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}

async function route(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  const path = url.pathname;
  if (path.startsWith(API_PREFIX)) return handleApi(ctx, req, res, url);
  if (path.startsWith(PAGE_API_PREFIX)) return handlePageApi(ctx, req, res, url);
  if (path.startsWith(PAGE_FILES_PREFIX) && req.method === 'GET') return servePageFile(ctx, res, path);
  if (path.startsWith(CONTROL_PREFIX)) return handleControl(ctx, req, res, url);
  if (req.method === 'GET' && PAGE_ROUTE.test(path)) return servePageShell(ctx, res);
  if (req.method === 'GET' && path === '/') return serveIndex(ctx, res);
  sendText(res, 404, '404 page not found');
}
