import { apiLoad } from './support/api-load';
import { openPauseSession, type PauseSample, pauseOnce, READING_MS } from './support/pause';
import { median, percentile, round, summary } from './support/stats';
import { type Benchmark, type BenchOptions, result } from './types';

const WARM_TARGET_MS = 50;
const COLD_TARGET_MS = 300;
const MAX_DISCARDS = 10;

async function run(options: BenchOptions): Promise<ReturnType<typeof result>> {
  if (!options.sandboxDir) throw new Error('click-to-request needs the sandbox build');
  const reps = options.reps ?? (options.quick ? 4 : 20);
  const session = await openPauseSession(options.sandboxDir, { campaigns: 1_000, processingDelayMs: 1_500 });
  const warm: PauseSample[] = [];
  const cold: PauseSample[] = [];
  const discards: string[] = [];
  let load: Record<string, number> = {};
  try {
    // One untimed pause first: the first prompt of a session loads code paths later pauses reuse.
    await pauseOnce(session, { cold: false, waitForPaused: false });
    // Alternate warm and cold so machine load drifts hit both alike.
    while (warm.length < reps || cold.length < reps) {
      for (const isCold of [false, true]) {
        if ((isCold ? cold : warm).length >= reps) continue;
        const s = await pauseOnce(session, { cold: isCold, waitForPaused: false });
        if ('discarded' in s) {
          discards.push(s.discarded);
          options.log(`  ${isCold ? 'cold' : 'warm'} sample discarded: ${s.discarded}`);
          if (discards.length > MAX_DISCARDS) throw new Error(`too many discarded samples: ${discards.join('; ')}`);
          continue;
        }
        (isCold ? cold : warm).push(s);
        options.log(
          `  ${isCold ? 'cold' : 'warm'} #${(isCold ? cold : warm).length}: ${round(s.clickToRequestMs, 1)} ms${s.promptLeftOpen ? ' (prompt stayed open)' : ''}`,
        );
      }
    }
  } finally {
    load = await apiLoad(session.sandbox).catch(() => ({}));
    await session.close();
  }
  const warmMs = warm.map((s) => round(s.clickToRequestMs, 1));
  const coldMs = cold.map((s) => round(s.clickToRequestMs, 1));
  const warmP95 = percentile(warmMs, 95);
  const coldP95 = percentile(coldMs, 95);
  const notes: string[] = [
    `With ${reps} samples per side the nearest-rank p95 is the ${Math.ceil(0.95 * reps)}th of ${reps} (with 20 or fewer samples, the largest). Medians: warm ${round(median(warmMs), 0)} ms, cold ${round(median(coldMs), 0)} ms.`,
  ];
  const limited = [...warm, ...cold].filter((x) => x.requestsAround.some((r) => r.endsWith(' 40100')));
  if (limited.length > 0) {
    notes.push(
      `${limited.length} of ${warm.length + cold.length} samples saw a rate-limit refusal (40100) between 1 s before the click and the update (median ${round(median(limited.map((x) => x.clickToRequestMs)), 0)} ms vs ${round(median([...warm, ...cold].filter((x) => !limited.includes(x)).map((x) => x.clickToRequestMs)), 0)} ms for the others): the sandbox enforces the Basic tier's 10 requests per second per app, opening a prompt costs 5 API calls, and a refused request makes the extension wait about 1 s before the update. The requests around the slowest samples are in the raw figures (slowSamples).`,
    );
  }
  const stuck = cold.filter((x) => x.promptLeftOpen).length + warm.filter((x) => x.promptLeftOpen).length;
  if (stuck > 0) {
    notes.push(
      `Found on the way: in ${cold.filter((x) => x.promptLeftOpen).length} of ${cold.length} cold and ${warm.filter((x) => x.promptLeftOpen).length} of ${warm.length} warm samples the confirm prompt was still open 5 s after the click although the update was sent (the harness reloads the page to go on). A worker woken by the click has no port to the tab yet (the overlay reconnects 1 s after losing it), so its "prompt:closed" goes nowhere and the overlay does not ask again on reconnect.`,
    );
  }
  if (warmP95 >= WARM_TARGET_MS) {
    notes.push(
      `Warm missed: median ${round(median(warmMs), 0)} ms, p95 ${round(warmP95, 0)} ms. The sandbox is local and the update is the ${warm.every((x) => x.requestsBefore.length === 0) ? 'only API request after the click (no read before it)' : `request after ${round(median(warm.map((x) => x.requestsBefore.length)), 0)} other API request(s) (median)`}, so the time is spent between the frame and the fetch: the prompt:confirm message, the worker's prompt record read and delete, the job enqueued in IndexedDB, then the engine's run (outbox read, rate limiter) before the fetch; click input delay in the frame is ${round(median([...warm, ...cold].map((x) => x.inputDelayMs)), 1)} ms (median).`,
    );
  }
  if (coldP95 >= COLD_TARGET_MS) {
    notes.push(
      `Cold missed by ${round(coldP95 - COLD_TARGET_MS, 0)} ms: the cold start (Chrome starting the worker, its module graph evaluated, settings/token and IndexedDB opened before the job runs) costs a median ${round(median(coldMs) - median(warmMs), 0)} ms over warm.`,
    );
  }
  return result(
    'click-to-request',
    [
      {
        label: 'confirm click → update at the sandbox, warm worker, p95',
        value: warmP95,
        unit: 'ms',
        target: `< ${WARM_TARGET_MS} ms`,
        met: warmP95 < WARM_TARGET_MS,
      },
      {
        label: 'same, service worker stopped before the click, p95',
        value: coldP95,
        unit: 'ms',
        target: `< ${COLD_TARGET_MS} ms`,
        met: coldP95 < COLD_TARGET_MS,
      },
    ],
    {
      samplesPerSide: reps,
      warmMs,
      coldMs,
      warm: summary(warmMs, 0),
      cold: summary(coldMs, 0),
      discardedSamples: discards,
      apiLoad: load,
      slowSamples: [...warm, ...cold]
        .filter((x) => x.clickToRequestMs > 2 * median((x.cold ? coldMs : warmMs) as number[]))
        .map((x) => ({
          ms: round(x.clickToRequestMs, 0),
          cold: x.cold,
          workerStartAfterClickMs: x.workerStartAfterClickMs === undefined ? null : round(x.workerStartAfterClickMs, 0),
          apiRequestsFrom1sBeforeTheClick: x.requestsAround,
        })),
      coldWorkerStartAfterClickMs: cold.map((x) =>
        x.workerStartAfterClickMs === undefined ? null : round(x.workerStartAfterClickMs, 0),
      ),
      apiRequestsBetweenClickAndUpdate: summary(
        [...warm, ...cold].map((x) => x.requestsBefore.length),
        0,
      ),
      promptsLeftOpen: {
        warm: warm.filter((x) => x.promptLeftOpen).length,
        cold: cold.filter((x) => x.promptLeftOpen).length,
      },
      clickInputDelayMs: summary(
        [...warm, ...cold].map((s) => s.inputDelayMs),
        2,
      ),
      frameClockSkewMs: summary(
        [...warm, ...cold].map((s) => s.hrSkewMs),
        2,
      ),
    },
    `A person's pause in headless Chromium (row control → confirm prompt, read for ${READING_MS / 1000} s); the click on the prompt's "Pause campaign" is stamped in the prompt frame (performance.timeOrigin + event.timeStamp, mapped to the system clock with that frame's Date.now()); the arrival is the sandbox request log's time for campaign/status/update (new Date() after the body is read, ms resolution, same machine). Cold: the service worker is stopped through CDP (ServiceWorker.stopAllWorkers) with the prompt open, then clicked within 0.9 s (before the overlay's port reconnect would wake it); a sample where Chrome reports the worker running again before the click is discarded. Warm and cold alternate; one untimed pause first.`,
    notes,
  );
}

export const clickToRequest: Benchmark = {
  name: 'click-to-request',
  title: 'Click to request: confirm click to the status update arriving at the sandbox, warm and cold worker',
  needs: ['sandbox'],
  run,
};
