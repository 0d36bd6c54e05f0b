import { expect, test } from '../e2e/support/fixtures';
import { scenario } from './support/faults';
import { DEFAULT_SEED, runKillSchedule } from './support/kill-schedule';

const RUNS = Number(process.env.KILL_RUNS ?? 100);
const FIRST_SEED = Number(process.env.FAULT_SEED ?? DEFAULT_SEED);

test(
  'seeded random schedule of worker kills with API faults: every run keeps the invariants',
  scenario(
    `Seeded random schedule (${RUNS} runs from seed ${FIRST_SEED}): 0-3 service worker stops (CDP) at random moments while 1-3 campaign pauses run, with random TikTok codes, hangs, lost answers, HTTP errors and bad JSON on their updates and reads`,
    'Resumes every job from IndexedDB, reconciles before any resend, confirms by reading',
    'After every run: at most one applied update per job unless a read proved it had not applied; every confirmed job matches a read of the new status and TikTok; no job open past its deadline; audit append-only and ordered',
  ),
  async ({ context, sandbox, connect, extensionId }, info) => {
    test.setTimeout(RUNS * 120_000 + 60_000);
    await connect('session', { reportLatencyMinutes: 0, verifyDeadlineMinutes: 2 });
    const summary = await runKillSchedule({ context, sandbox, extensionId, firstSeed: FIRST_SEED, runs: RUNS, info });
    const line =
      `kill schedule: seeds ${FIRST_SEED}..${FIRST_SEED + RUNS - 1} (${RUNS} runs), ${summary.runs} completed, ` +
      `${summary.kills} worker stops, ${summary.jobs} jobs ${JSON.stringify(summary.states)}, faults fired ` +
      `${JSON.stringify(summary.faultsFired)}, ${summary.resends} resends; replay a run with FAULT_SEED=<seed> KILL_RUNS=1`;
    console.log(line);
    info.annotations.push({ type: 'runs', description: String(RUNS) });
    info.annotations.push({
      type: 'observed',
      description: `${summary.runs - new Set(summary.failures.map((f) => f.split(':')[0])).size}/${RUNS} runs kept every invariant; ${summary.kills} worker stops, ${summary.jobs} jobs, ${summary.resends} resends`,
    });
    await info.attach('kill-schedule.json', {
      body: JSON.stringify(summary, null, 2),
      contentType: 'application/json',
    });
    expect(summary.failures, line).toEqual([]);
    expect(summary.runs).toBe(RUNS);
  },
);
