// npm start: build the sandbox flavour, start the local sandbox, and open Chromium with the extension
// loaded, connected to the sandbox, on the sandbox's campaign page. No TikTok account needed.
//
//   npm start                 a window when a display is available, headless otherwise
//   npm start -- --headless   always headless (prints the URLs and keeps running until Ctrl+C)
//   npm start -- --port 8787 --campaigns 1000 --seed 1
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { startSandbox } from '../sandbox/server';
import { chromiumArgs, findChromium, INSTALL_HINT } from '../test/e2e/support/chromium';
import { connectThroughOptions } from './connect-extension';

const { values } = parseArgs({
  options: {
    headless: { type: 'boolean', default: false },
    port: { type: 'string', default: process.env.SANDBOX_PORT ?? '8787' },
    campaigns: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    'skip-build': { type: 'boolean', default: false },
  },
  allowPositionals: false,
});

const headless =
  values.headless ||
  process.env.npm_config_headless === 'true' ||
  (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY);

const executablePath = findChromium();
if (!executablePath) {
  console.error(INSTALL_HINT);
  process.exit(1);
}

if (!values['skip-build']) {
  console.log('Building the sandbox flavour of the extension…');
  const build = spawnSync('npx', ['wxt', 'build', '--mode', 'sandbox'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const sandbox = await startSandbox({
  port: Number(values.port),
  seed: Number(values.seed),
  campaigns: Number(values.campaigns),
});
const extensionDir = path.resolve('.output/chrome-mv3-sandbox');
const profile = mkdtempSync(path.join(tmpdir(), 'safepause-start-'));
const context = await chromium.launchPersistentContext(profile, {
  headless,
  channel: 'chromium',
  executablePath,
  args: chromiumArgs(extensionDir),
  viewport: headless ? { width: 1440, height: 900 } : null,
});

let worker = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
worker ??= await context.waitForEvent('serviceworker', {
  predicate: (w) => w.url().startsWith('chrome-extension://'),
});
const extensionId = new URL(worker.url()).host;

await connectThroughOptions(context, extensionId, {
  apiBaseUrl: sandbox.url,
  token: sandbox.token,
  advertiserIds: sandbox.advertiserIds,
});

const campaignUrl = sandbox.campaignPageUrl(sandbox.advertiserIds[0] ?? '');
const page = context.pages()[0] ?? (await context.newPage());
await page.goto(campaignUrl);

console.log('');
console.log(`SafePause is running ${headless ? 'HEADLESS (no display found, or --headless given)' : 'in Chromium'}.`);
console.log(`  Sandbox campaign page: ${campaignUrl}`);
console.log(`  Sandbox API:           ${sandbox.url}/open_api/v1.3/`);
console.log(`  Sandbox control API:   ${sandbox.url}/__sandbox/`);
console.log(`  Demo access token:     ${sandbox.token}  (a sandbox token, not a TikTok one)`);
console.log(`  Extension options:     chrome-extension://${extensionId}/options.html`);
console.log(`  Extension popup:       chrome-extension://${extensionId}/popup.html`);
console.log('Press Ctrl+C to stop.');

async function shutdown() {
  await context.close().catch(() => undefined);
  await sandbox.close().catch(() => undefined);
  rmSync(profile, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
context.on('close', () => void shutdown());
