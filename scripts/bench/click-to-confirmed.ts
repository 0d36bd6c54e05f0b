import { apiLoad } from './support/api-load';
import {
  openPauseSession,
  PAUSED_TIMEOUT_MS,
  type PauseSample,
  pauseOnce,
  READING_MS,
  setProcessingDelay,
} from './support/pause';
import { median, round, summary } from './support/stats';
import { type Benchmark, type BenchOptions, result } from './types';

const BEYOND_TARGET_MS = 1_500;
const READS_TARGET = 4;
/** The sandbox's default processing delay: the headline figures are measured with it. */
const DEFAULT_DELAY_MS = 1_500;
/** Other delays, reported to show how the read-back schedule fits delays other than the default. */
const OTHER_DELAYS_MS = [800, 1_700, 3_000];
const MAX_DISCARDS = 5;

interface DelayRun {
  delayMs: number;
  samples: PauseSample[];
  /** ms from the click to "Paused", minus the delay. */
  beyond: number[];
  /** ms from the update's arrival to "Paused", minus the delay. */
  beyondArrival: number[];
  reads: number[];
}

async function measureAt(
  session: Awaited<ReturnType<typeof openPauseSession>>,
  delayMs: number,
  reps: number,
  log: (m: string) => void,
  /** Samples that could not be taken (the prompt did not open), with what happened: reported in details. */
  discards: string[],
): Promise<DelayRun> {
  await setProcessingDelay(session, delayMs);
  const run: DelayRun = { delayMs, samples: [], beyond: [], beyondArrival: [], reads: [] };
  for (let i = 0; i < reps; i += 1) {
    const s = await pauseOnce(session, { cold: false, waitForPaused: true });
    if ('discarded' in s) {
      discards.push(s.discarded);
      log(`  sample discarded: ${s.discarded}`);
      if (discards.length > MAX_DISCARDS) throw new Error(`too many discarded samples: ${discards.join('; ')}`);
      i -= 1;
      continue;
    }
    if (s.pausedWall === undefined || s.reads === undefined) throw new Error('the chip was not watched');
    run.samples.push(s);
    // A pause that never showed "Paused" counts with the time waited: a lower bound, flagged in the notes.
    const pausedWall = s.pausedWall ?? s.clickWall + PAUSED_TIMEOUT_MS;
    run.beyond.push(pausedWall - s.clickWall - delayMs);
    run.beyondArrival.push(pausedWall - s.arrivalWall - delayMs);
    run.reads.push(s.reads);
    log(
      s.pausedWall === null
        ? `  delay ${delayMs} ms #${i + 1}: NOT Paused within ${PAUSED_TIMEOUT_MS} ms; ${s.reads} status reads; chip ${s.chipSequence?.join(' → ')}; ${JSON.stringify(s.neverPaused)}`
        : `  delay ${delayMs} ms #${i + 1}: Paused ${round(s.pausedWall - s.clickWall, 0)} ms after the click (${round(s.pausedWall - s.clickWall - delayMs, 0)} beyond), ${s.reads} status reads; chip ${s.chipSequence?.join(' → ')}`,
    );
  }
  return run;
}

async function run(options: BenchOptions): Promise<ReturnType<typeof result>> {
  if (!options.sandboxDir) throw new Error('click-to-confirmed needs the sandbox build');
  const reps = options.reps ?? (options.quick ? 3 : 7);
  const session = await openPauseSession(options.sandboxDir, { campaigns: 1_000, processingDelayMs: DEFAULT_DELAY_MS });
  const runs: DelayRun[] = [];
  const discards: string[] = [];
  let load: Record<string, number> = {};
  try {
    // One untimed pause first (warms the code paths of the first prompt of a session).
    await pauseOnce(session, { cold: false, waitForPaused: true });
    runs.push(await measureAt(session, DEFAULT_DELAY_MS, reps, options.log, discards));
    if (!options.quick) {
      for (const d of OTHER_DELAYS_MS)
        runs.push(await measureAt(session, d, Math.max(3, Math.ceil(reps / 2)), options.log, discards));
    }
  } finally {
    load = await apiLoad(session.sandbox).catch(() => ({}));
    await session.close();
  }
  const main = runs[0] as DelayRun;
  const beyond = round(median(main.beyond), 0);
  const reads = median(main.reads);
  const byDelay = Object.fromEntries(
    runs.map((r) => [
      `${r.delayMs} ms`,
      {
        beyondMedianMs: round(median(r.beyond), 0),
        beyondMaxMs: round(Math.max(...r.beyond), 0),
        readsMedian: median(r.reads),
        readsMax: Math.max(...r.reads),
        samples: r.samples.length,
      },
    ]),
  );
  const notes: string[] = [];
  // When the worker's status reads came, by their order after the update (all delays pooled).
  const offsets: number[][] = [];
  for (const x of runs.flatMap((r) => r.samples)) {
    for (const [i, ms] of (x.readOffsetsMs ?? []).entries()) {
      const list = offsets[i] ?? [];
      list.push(ms);
      offsets[i] = list;
    }
  }
  const schedule = offsets.map((list) => `+${(median(list) / 1000).toFixed(2)} s`).join(', ');
  for (const r of runs.slice(1)) {
    const b = median(r.beyond);
    const rd = median(r.reads);
    if (b >= BEYOND_TARGET_MS || rd > READS_TARGET) {
      notes.push(
        `At a ${r.delayMs} ms processing delay (not the headline): ${round(b, 0)} ms beyond the delay and ${rd} reads (median), which ${b >= BEYOND_TARGET_MS ? 'misses' : 'meets'} the time target${rd > READS_TARGET ? ' and misses the reads target' : ''}. The worker reads the status back at ${schedule} after the update reached the sandbox (median per read): gaps that double, so a change that takes effect just after one read shows only at the next one.`,
      );
    }
  }
  if (beyond >= BEYOND_TARGET_MS || reads > READS_TARGET) {
    notes.push(
      `Missed at the default delay: the worker reads the status back at ${schedule} after the update reached the sandbox (median per read), so "Paused" shows at the first read after the change has taken effect; a change that takes effect just after a read waits for the next.`,
    );
  }
  const never = runs.flatMap((r) =>
    r.samples.filter((x) => x.pausedWall === null).map((x) => ({ delay: r.delayMs, x })),
  );
  if (never.length > 0) {
    notes.push(
      `${never.length} of ${runs.reduce((n, r) => n + r.samples.length, 0)} pauses did not show "Paused" within ${PAUSED_TIMEOUT_MS / 1000} s of the click (counted as ${PAUSED_TIMEOUT_MS / 1000} s, a lower bound; ${never.filter((n) => n.delay === DEFAULT_DELAY_MS).length} at the default delay). What the chip read, the sandbox's state and the API calls about them are under neverPaused in the raw figures.`,
    );
  }
  const order = ['Queued', 'Sending', 'Waiting for TikTok', 'Paused'];
  const all = runs.flatMap((r) => r.samples);
  const backwards = all.filter((x) => {
    const ranks = (x.chipSequence ?? []).map((label) => order.indexOf(label));
    return ranks.some((rank, i) => i > 0 && rank < (ranks[i - 1] as number));
  });
  if (backwards.length > 0) {
    notes.push(
      `Seen on the way: in ${backwards.length} of ${all.length} pauses the chip stepped back before "Paused" (e.g. ${backwards[0]?.chipSequence?.join(' → ')}), as if an older job state arrived after a newer one.`,
    );
  }
  notes.push(
    `"Beyond the delay" is counted from the click (what a person waits); from the update's arrival at the sandbox it is a median ${round(median(main.beyondArrival), 0)} ms. Reads are campaign/get requests whose filter names the campaign, after the update and up to the moment the chip read "Paused" (${round(median(main.samples.map((s) => s.singleIdReads ?? 0)), 0)} of them, median, name only this campaign).`,
  );
  return result(
    'click-to-confirmed',
    [
      {
        label: `click → chip "Paused", beyond the ${DEFAULT_DELAY_MS} ms processing delay, median`,
        value: beyond,
        unit: 'ms',
        target: `< ${BEYOND_TARGET_MS} ms`,
        met: beyond < BEYOND_TARGET_MS,
      },
      {
        label: 'status reads until "Paused", median',
        value: reads,
        unit: 'reads',
        target: `≤ ${READS_TARGET}`,
        met: reads <= READS_TARGET,
      },
    ],
    {
      samplesAtDefaultDelay: main.samples.length,
      beyondMs: main.beyond.map((v) => round(v, 0)),
      beyondFromArrival: summary(main.beyondArrival, 0),
      reads: main.reads,
      readTimesAfterUpdateMs: offsets.map((list) => round(median(list), 0)),
      byDelay,
      chipSequences: all.map((x) => x.chipSequence?.join(' → ') ?? ''),
      discardedSamples: discards,
      neverPaused: never.map((n) => ({ delayMs: n.delay, chip: n.x.chipSequence, ...n.x.neverPaused })),
      apiLoad: load,
      clickToRequestMs: summary(
        main.samples.map((s) => s.clickToRequestMs),
        0,
      ),
    },
    `A person's pause (row control → prompt, read for ${READING_MS / 1000} s → "Pause campaign") with the worker warm; samples during which the page's own announcement popped up over the table are discarded; the click is stamped in the prompt frame, "Paused" by a MutationObserver on the overlay's shadow root (the control's chip), both on the system clock; the sandbox applies the change ${DEFAULT_DELAY_MS} ms (its default) after accepting it. Also measured at ${OTHER_DELAYS_MS.join(' and ')} ms (fewer samples, reported, not the headline). Reads from the sandbox's request log.`,
    notes,
  );
}

export const clickToConfirmed: Benchmark = {
  name: 'click-to-confirmed',
  title: 'Click to confirmed: time beyond the processing delay until the row shows Paused, and status reads',
  needs: ['sandbox'],
  run,
};
