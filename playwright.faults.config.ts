import { defineConfig } from '@playwright/test';

// The fault suite (npm run test:faults): the same settings as playwright.config.ts, over test/faults, the worker-stop and code specs of pause-faults.spec.ts and the quick
// fault specs that `npm test` also runs. Results go to FAULTS_REPORT_DIR/playwright.json for scripts/faults-report.ts.
const reportDir = process.env.FAULTS_REPORT_DIR ?? 'playwright-report/faults';

export default defineConfig({
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  outputDir: 'test-results/faults',
  reporter: [['list'], ['json', { outputFile: `${reportDir}/playwright.json` }]],
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: [
    { name: 'faults', testDir: 'test/faults', testMatch: '**/*.spec.ts' },
    { name: 'faults-quick', testDir: 'test/e2e', testMatch: ['faults-quick.spec.ts', 'pause-faults.spec.ts'] },
  ],
});
