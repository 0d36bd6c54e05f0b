/**
 * The fixed table of Marketing API endpoints SafePause may call. Request URLs are built only from
 * these paths (relative to the validated base URL); no caller can pass a URL or a path of its own.
 * Every path ends in `/`: without it TikTok answers HTTP 404.
 */
export const ENDPOINTS = {
  'campaign/get/': { method: 'GET', write: false },
  'adgroup/get/': { method: 'GET', write: false },
  'ad/get/': { method: 'GET', write: false },
  'campaign/status/update/': { method: 'POST', write: true },
  'adgroup/status/update/': { method: 'POST', write: true },
  'ad/status/update/': { method: 'POST', write: true },
  'report/integrated/get/': { method: 'GET', write: false },
  'advertiser/info/': { method: 'GET', write: false },
  'user/info/': { method: 'GET', write: false },
} as const satisfies Record<string, { method: 'GET' | 'POST'; write: boolean }>;

export type EndpointPath = keyof typeof ENDPOINTS;

export function isEndpointPath(value: string): value is EndpointPath {
  return Object.hasOwn(ENDPOINTS, value);
}

/** The API version prefix every endpoint lives under. */
export const API_PREFIX = 'open_api/v1.3/';
