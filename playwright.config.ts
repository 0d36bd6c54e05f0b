import { defineConfig } from '@playwright/test';

// E2E tests drive the built sandbox extension (.output/chrome-mv3-sandbox) in a real headless Chromium.
// Each worker starts its own sandbox server on a free port; see test/e2e/support/fixtures.ts.
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
});
