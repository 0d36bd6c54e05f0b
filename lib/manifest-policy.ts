// The single source of truth for what each build may touch. wxt.config.ts applies it and
// test/unit/manifest.test.ts checks the built manifests (and the README's permission table) against it.

export type Flavour = 'store' | 'sandbox';

/** Ads Manager pages the overlay runs on. */
export const STORE_PAGE_MATCHES = ['https://ads.tiktok.com/i18n/manage/*'] as const;
/** The local sandbox page, any port (match patterns without a port match every port). */
export const SANDBOX_PAGE_MATCHES = ['http://127.0.0.1/i18n/manage/*', 'http://localhost/i18n/manage/*'] as const;

/** TikTok Marketing API hosts: production and TikTok's own sandbox. */
export const STORE_API_HOSTS = ['https://business-api.tiktok.com/*', 'https://sandbox-ads.tiktok.com/*'] as const;
/** The local sandbox's API emulator. */
export const SANDBOX_API_HOSTS = ['http://127.0.0.1/*', 'http://localhost/*'] as const;

/** storage: settings; alarms: every later step of a job; notifications: automatic actions. */
export const PERMISSIONS = ['storage', 'alarms', 'notifications'] as const;

/** The extension command that opens Emergency stop (a manifest key, not a permission). */
export const EMERGENCY_COMMAND = 'emergency-stop';
export const COMMANDS = {
  [EMERGENCY_COMMAND]: {
    suggested_key: { default: 'Alt+Shift+S' },
    description: 'Open Emergency stop (stop all spend of an advertiser)',
  },
} as const;

export interface ManifestPolicy {
  name: string;
  description: string;
  permissions: string[];
  host_permissions: string[];
  contentMatches: string[];
  web_accessible_resources: { resources: string[]; matches: string[]; use_dynamic_url?: boolean }[];
  commands: typeof COMMANDS;
  browser_specific_settings?: { gecko: { id: string; strict_min_version: string } };
  minimum_chrome_version?: string;
}

export function manifestFor(flavour: Flavour, browser: string): ManifestPolicy {
  const contentMatches: string[] =
    flavour === 'sandbox' ? [...STORE_PAGE_MATCHES, ...SANDBOX_PAGE_MATCHES] : [...STORE_PAGE_MATCHES];
  const hosts: string[] = flavour === 'sandbox' ? [...STORE_API_HOSTS, ...SANDBOX_API_HOSTS] : [...STORE_API_HOSTS];
  const policy: ManifestPolicy = {
    name: flavour === 'sandbox' ? 'SafePause (sandbox)' : 'SafePause',
    description: 'Pause TikTok campaigns, ad groups and ads safely, and see that spend really stopped.',
    permissions: [...PERMISSIONS],
    host_permissions: hosts,
    contentMatches,
    commands: COMMANDS,
    // The confirm prompt is an extension page framed into Ads Manager, so the page cannot script it.
    web_accessible_resources: [
      {
        resources: ['confirm.html'],
        // web_accessible_resources accept only origin-wide patterns (path `/*`).
        matches: contentMatches.map((pattern) => `${new URL(pattern.replace('*', 'x')).origin}/*`),
        ...(browser === 'firefox' ? {} : { use_dynamic_url: true }),
      },
    ],
  };
  if (browser === 'firefox') {
    policy.browser_specific_settings = { gecko: { id: 'safepause@safepause.app', strict_min_version: '128.0' } };
  } else {
    policy.minimum_chrome_version = '116';
  }
  return policy;
}

/**
 * Whether a URL falls under one of our match patterns (`scheme://host/path*`, no port: any port matches,
 * as in the browser). Our patterns use no wildcard hosts, so this stays small and exact.
 */
export function matchesPagePattern(pattern: string, url: URL): boolean {
  const match = /^(https?):\/\/([^/]+)(\/.*)$/.exec(pattern);
  if (!match) return false;
  const [, scheme, host, path = '/'] = match;
  if (url.protocol !== `${scheme}:` || url.hostname !== host) return false;
  const prefix = path.endsWith('*') ? path.slice(0, -1) : path;
  return path.endsWith('*') ? url.pathname.startsWith(prefix) : url.pathname === prefix;
}
