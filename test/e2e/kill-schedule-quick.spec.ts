import { DEFAULT_SEED, runKillSchedule } from '../faults/support/kill-schedule';
import { expect, test } from './support/fixtures';

/** The quick part of the seeded kill schedule (`npm run test:faults` runs 100 and more): a few runs of it. */
const RUNS = Number(process.env.KILL_QUICK_RUNS ?? 4);

test('a few runs of the seeded kill schedule keep every invariant', async ({
  context,
  sandbox,
  connect,
  extensionId,
}, info) => {
  test.setTimeout(RUNS * 120_000 + 60_000);
  await connect('session', { reportLatencyMinutes: 0, verifyDeadlineMinutes: 2 });
  const summary = await runKillSchedule({ context, sandbox, extensionId, firstSeed: DEFAULT_SEED, runs: RUNS, info });
  console.log(
    `kill schedule (quick): seeds ${DEFAULT_SEED}..${DEFAULT_SEED + RUNS - 1}, ${summary.kills} worker stops, ${summary.jobs} jobs ${JSON.stringify(summary.states)}`,
  );
  expect(summary.failures).toEqual([]);
  expect(summary.runs).toBe(RUNS);
  expect(summary.jobs).toBeGreaterThanOrEqual(RUNS);
});
