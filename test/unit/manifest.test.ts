import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  PERMISSIONS,
  SANDBOX_API_HOSTS,
  SANDBOX_PAGE_MATCHES,
  STORE_API_HOSTS,
  STORE_PAGE_MATCHES,
} from '../../lib/manifest-policy';

// The built manifests (npm test builds all three before the unit tests) against the README's promises.
const builds = {
  chrome: '.output/chrome-mv3/manifest.json',
  firefox: '.output/firefox-mv3/manifest.json',
  sandbox: '.output/chrome-mv3-sandbox/manifest.json',
} as const;

interface Manifest {
  manifest_version: number;
  permissions?: string[];
  host_permissions?: string[];
  content_scripts?: { matches: string[]; world?: string }[];
  background?: { service_worker?: string; scripts?: string[] };
  browser_specific_settings?: { gecko?: { id?: string } };
}

function read(path: string): Manifest {
  if (!existsSync(path))
    throw new Error(`${path} is missing: run npm run build, build:firefox and build:sandbox first.`);
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
}

/** Rows of the README table between the permissions markers: `| \`permission\` | why |`. */
function readmeTable(marker: string): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf(`<!-- ${marker}:start -->`);
  const end = readme.indexOf(`<!-- ${marker}:end -->`);
  if (start < 0 || end < 0) throw new Error(`README.md has no ${marker} table`);
  return [...readme.slice(start, end).matchAll(/^\|\s*`([^`]+)`\s*\|/gm)].map((m) => m[1] ?? '');
}

describe.each(['chrome', 'firefox'] as const)('store build for %s', (browser) => {
  const manifest = read(builds[browser]);

  test('is Manifest V3', () => {
    expect(manifest.manifest_version).toBe(3);
  });

  test('runs only on Ads Manager list pages, in both worlds', () => {
    const scripts = manifest.content_scripts ?? [];
    expect(scripts).toHaveLength(2);
    for (const script of scripts) expect(script.matches).toEqual([...STORE_PAGE_MATCHES]);
    expect(scripts.map((s) => s.world ?? 'ISOLATED').sort()).toEqual(['ISOLATED', 'MAIN']);
  });

  test('talks only to the TikTok API hosts', () => {
    expect(manifest.host_permissions).toEqual([...STORE_API_HOSTS]);
  });

  test('asks for exactly the permissions the README explains', () => {
    expect([...(manifest.permissions ?? [])].sort()).toEqual([...PERMISSIONS].sort());
    expect(readmeTable('permissions').sort()).toEqual([...PERMISSIONS, ...STORE_API_HOSTS].sort());
  });
});

test('the Firefox build is MV3 with background scripts and an add-on ID', () => {
  const manifest = read(builds.firefox);
  expect(manifest.background?.scripts?.length).toBeGreaterThan(0);
  expect(manifest.background?.service_worker).toBeUndefined();
  expect(manifest.browser_specific_settings?.gecko?.id).toMatch(/@/);
});

test('the sandbox build adds only the local sandbox', () => {
  const manifest = read(builds.sandbox);
  for (const script of manifest.content_scripts ?? []) {
    expect(script.matches).toEqual([...STORE_PAGE_MATCHES, ...SANDBOX_PAGE_MATCHES]);
  }
  expect(manifest.host_permissions).toEqual([...STORE_API_HOSTS, ...SANDBOX_API_HOSTS]);
  expect(readmeTable('sandbox-permissions').sort()).toEqual([...SANDBOX_PAGE_MATCHES, ...SANDBOX_API_HOSTS].sort());
});
