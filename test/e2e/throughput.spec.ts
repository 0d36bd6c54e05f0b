import type { LoggedRequest } from '../../sandbox/api/request-log';
import { accepted, campaignsOf, openEmergency, prepare } from './support/emergency';
import { expect, test } from './support/fixtures';
import { statusUpdates } from './support/pause-flow';
import { control } from './support/sandbox-control';

// 1,000 campaigns paused at once under TikTok's Basic tier (10 requests per second per app, the sandbox enforcing
// it with 40100 like TikTok). The time it takes is a benchmark (npm run bench → BENCHMARKS.md); this test checks what
// decides that time under a rate limit: how many requests were needed, and that the dispatcher never ran into the
// limiter twice in a row.

const RATE_LIMIT_CODES = new Set([40100, 40133, 40016]);

test.afterAll(async ({ sandbox }) => {
  await control(sandbox, 'POST', 'reset', { seed: 1, campaigns: 1000, secondAdvertiserCampaigns: 40 });
});

test('1,000 campaigns at 10 QPS: 50 updates of 20, every one verified, no request refused by the limiter twice in a row', async ({
  context,
  sandbox,
  connect,
  extensionId,
}) => {
  test.setTimeout(300_000);
  const { advertiserId, onIds } = await prepare(sandbox, 1000, 0);
  await connect('session', { reportLatencyMinutes: 0 });
  const popup = await context.newPage();
  const { confirm } = await openEmergency(popup, extensionId, advertiserId, 1000);
  const firstSeq = Math.max(0, ...(await sandbox.requests()).map((r) => r.seq));
  await confirm.click();

  const summary = popup.getByRole('article', { name: /^Emergency stop of / });
  await expect(summary.getByRole('status')).toContainText('1000 of 1000 stopped and confirmed', { timeout: 180_000 });
  const doneSeq = Math.max(...(await sandbox.requests()).map((r) => r.seq));

  // Exactly ceil(1000/20) accepted updates, covering exactly the 1,000.
  const pauses = accepted(await statusUpdates(sandbox), 'DISABLE');
  expect(pauses).toHaveLength(50);
  const sent = pauses.flatMap((u) => u.body.campaign_ids ?? []);
  expect(new Set(sent).size).toBe(1000);
  expect([...sent].sort()).toEqual([...onIds].sort());
  const truth = await campaignsOf(sandbox, advertiserId);
  expect(truth.filter((c) => onIds.includes(c.id) && c.operation_status === 'DISABLE')).toHaveLength(1000);

  // Every API request of the run, in the order the sandbox received them.
  const run = (await sandbox.requests()).filter(
    (r: LoggedRequest) => r.seq > firstSeq && r.seq <= doneSeq && r.path.startsWith('/open_api/'),
  );
  let streak = 0;
  let worst = 0;
  for (const r of run) {
    streak = r.code !== null && RATE_LIMIT_CODES.has(r.code) ? streak + 1 : 0;
    worst = Math.max(worst, streak);
  }
  expect(worst, 'requests refused by the rate limiter in a row').toBeLessThanOrEqual(1);

  // Under a saturated limit the run's length is its request count divided by the QPS. The minimum: 50 updates plus
  // 10 reads of 100 IDs. Status reads beyond that are re-reads of batches TikTok had not applied yet.
  const updates = run.filter((r) => r.path.endsWith('/campaign/status/update/')).length;
  const reads = run.filter((r) => r.path.endsWith('/campaign/get/')).length;
  test.info().annotations.push({ type: 'requests', description: `${updates} updates, ${reads} status reads` });
  expect(updates).toBeGreaterThanOrEqual(50);
  expect(updates + reads).toBeLessThanOrEqual(Math.floor(1.2 * (50 + 10)));
});
