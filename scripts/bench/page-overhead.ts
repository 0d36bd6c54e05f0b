import type { BrowserContext, Page } from '@playwright/test';
import { pageRows } from '../../test/e2e/support/sandbox-control';
import { apiLoad } from './support/api-load';
import {
  closeAll,
  connect,
  frameRate,
  inPage,
  launchExtension,
  launchPlain,
  openTablePage,
  type RunningSandbox,
  startBenchSandbox,
} from './support/browser';
import { type Attribution, profileDuring } from './support/profile';
import { median, round, summary } from './support/stats';
import { type Benchmark, type BenchOptions, result } from './types';

const CAMPAIGNS = 10_000;
const ROW_HEIGHT = 48;
/** Pixels per frame: ten rows, so the pass over 10,000 rows takes ~1,000 frames. */
const STEP_PX = 480;
const TARGET = 1.05;

interface PassMetrics {
  /** Main-thread task time of the page's renderer (CDP Performance, thread CPU ticks), ms. */
  taskMs: number;
  scriptMs: number;
  layoutMs: number;
  styleMs: number;
  frames: number;
  wallMs: number;
  lastRowIndex: number;
}

/**
 * One scripted pass through every row: a wheel event on the table each animation frame (the table scrolls only
 * on its own wheel handler, like Ads Manager's), until the last row is on screen.
 */
function scrollAllRows(arg: {
  steps: number;
  step: number;
}): Promise<{ frames: number; wallMs: number; last: number }> {
  return new Promise((resolve, reject) => {
    const table = document.querySelector('ks-virtual-table');
    if (!table) {
      reject(new Error('no ks-virtual-table'));
      return;
    }
    const box = table.getBoundingClientRect();
    const clientX = box.left + box.width / 2;
    const clientY = box.top + box.height / 2;
    let frames = 0;
    const start = performance.now();
    const lastRowIndex = () => {
      let last = -1;
      for (const cell of table.querySelectorAll(':scope > .ks-virtual-table__cell')) {
        const key = Object.keys(cell).find((k) => k.startsWith('__reactProps$'));
        const props = key
          ? (cell as unknown as Record<string, { children?: { props?: { rowIndex?: number } } }>)[key]
          : undefined;
        const index = props?.children?.props?.rowIndex;
        if (typeof index === 'number' && index > last) last = index;
      }
      return last;
    };
    // The wheel goes out between frames (a message posted from the frame's callback runs after it is rendered),
    // where Chromium delivers real input: layout is clean then, as for a person's wheel.
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      if (frames >= arg.steps) {
        // One more frame so the table renders the last step.
        requestAnimationFrame(() => {
          channel.port1.close();
          resolve({ frames, wallMs: performance.now() - start, last: lastRowIndex() });
        });
        return;
      }
      frames += 1;
      table.dispatchEvent(
        new WheelEvent('wheel', {
          deltaY: arg.step,
          clientX,
          clientY,
          bubbles: true,
          cancelable: true,
          composed: true,
        }),
      );
      requestAnimationFrame(tick);
    };
    const tick = () => channel.port2.postMessage(0);
    requestAnimationFrame(tick);
  });
}

async function measurePass(page: Page, step: number, rows: number): Promise<PassMetrics> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const read = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const get = (name: string) => {
        const m = metrics.find((x) => x.name === name);
        if (!m) throw new Error(`CDP Performance.getMetrics has no ${name}`);
        return m.value * 1000;
      };
      return {
        task: get('TaskDuration'),
        script: get('ScriptDuration'),
        layout: get('LayoutDuration'),
        style: get('RecalcStyleDuration'),
      };
    };
    const steps = Math.ceil((rows * ROW_HEIGHT) / step) + 2;
    const before = await read();
    const pass = await inPage(page, scrollAllRows, { steps, step });
    const after = await read();
    if (pass.last !== rows - 1) throw new Error(`the scroll stopped at row ${pass.last}, not ${rows - 1}`);
    return {
      taskMs: after.task - before.task,
      scriptMs: after.script - before.script,
      layoutMs: after.layout - before.layout,
      styleMs: after.style - before.style,
      frames: pass.frames,
      wallMs: pass.wallMs,
      lastRowIndex: pass.last,
    };
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

async function onePass(
  context: BrowserContext,
  sandbox: RunningSandbox,
  withExtension: boolean,
  step: number,
): Promise<PassMetrics> {
  const page = await openTablePage(context, sandbox, withExtension);
  try {
    // Let the page and overlay settle (identification of the first screen, late stages of the page).
    await page.waitForTimeout(1500);
    return await measurePass(page, step, await rowCount(sandbox));
  } finally {
    await page.close();
  }
}

async function rowCount(sandbox: RunningSandbox): Promise<number> {
  return (await pageRows(sandbox, sandbox.advertiserIds[0] ?? '')).length;
}

/** One extra pass with the extension under the sampling profiler, to say where the extra time goes. */
async function profiledPass(context: BrowserContext, sandbox: RunningSandbox, step: number): Promise<Attribution> {
  const page = await openTablePage(context, sandbox, true);
  const cdp = await context.newCDPSession(page);
  try {
    await page.waitForTimeout(1500);
    const steps = Math.ceil(((await rowCount(sandbox)) * ROW_HEIGHT) / step) + 2;
    return await profileDuring(cdp, () => inPage(page, scrollAllRows, { steps, step }));
  } finally {
    await cdp.detach().catch(() => undefined);
    await page.close();
  }
}

function describeAttribution(a: Attribution): string {
  const ms = (entries: Array<[string, number]>, n: number) =>
    entries
      .slice(0, n)
      .map(([k, v]) => `${k} ${Math.round(v)} ms`)
      .join(', ');
  return `A profiled extra pass with the extension (V8 sampling profiler, self time, ${Math.round(a.totalMs)} ms sampled) splits as: ${ms(a.buckets, 8)}. Browser APIs called from extension code: ${ms(a.extensionApiCalls, 6) || 'none'} (a forced layout is charged to the call that forced it; "(program)" is rendering no script is charged with).`;
}

async function run(options: BenchOptions): Promise<ReturnType<typeof result>> {
  if (!options.sandboxDir) throw new Error('page-overhead needs the sandbox build');
  const reps = options.reps ?? (options.quick ? 2 : 5);
  const step = STEP_PX;
  const sandbox = await startBenchSandbox({ campaigns: CAMPAIGNS });
  const launched = await launchExtension(options.sandboxDir);
  let plain: BrowserContext | undefined;
  try {
    await connect(launched, sandbox);
    plain = await launchPlain();
    const fpsPage = await openTablePage(plain, sandbox, false);
    const fps = await frameRate(fpsPage);
    await fpsPage.close();
    options.log(`page-overhead: warm-up passes (both sides), then ${reps} alternating pairs; ${fps.toFixed(0)} fps`);
    await onePass(launched.context, sandbox, true, step);
    await onePass(plain, sandbox, false, step);
    const withExt: PassMetrics[] = [];
    const without: PassMetrics[] = [];
    for (let i = 0; i < reps; i += 1) {
      // Alternate which side goes first, so a drift in machine load hits both sides alike.
      const order = i % 2 === 0 ? [true, false] : [false, true];
      for (const ext of order) {
        const m = await onePass(ext ? launched.context : plain, sandbox, ext, step);
        (ext ? withExt : without).push(m);
        options.log(
          `  ${ext ? 'extension' : 'baseline '} #${i + 1}: task ${m.taskMs.toFixed(0)} ms, script ${m.scriptMs.toFixed(0)} ms, ${m.frames} frames in ${(m.wallMs / 1000).toFixed(1)} s`,
        );
      }
    }
    const ratios = withExt.map((m, i) => m.taskMs / (without[i]?.taskMs ?? Number.NaN));
    const ratio = round(median(ratios), 3);
    const scriptExtra = withExt.map((m, i) => m.scriptMs - (without[i]?.scriptMs ?? Number.NaN));
    const load = await apiLoad(sandbox);
    const rows = await rowCount(sandbox);
    const notes: string[] = [];
    const perFrame = (values: number[]) => round(median(values) / (withExt[0]?.frames ?? 1), 2);
    const extra = {
      task: withExt.map((m, i) => m.taskMs - (without[i]?.taskMs ?? Number.NaN)),
      script: scriptExtra,
      layout: withExt.map((m, i) => m.layoutMs - (without[i]?.layoutMs ?? Number.NaN)),
      style: withExt.map((m, i) => m.styleMs - (without[i]?.styleMs ?? Number.NaN)),
    };
    notes.push(
      `The page lists ${rows.toLocaleString('en')} of the sandbox's ${CAMPAIGNS.toLocaleString('en')} campaigns (deleted ones are not listed); a pass is ${withExt[0]?.frames ?? '?'} frames. Without the extension the page itself spends a median ${perFrame(without.map((m) => m.taskMs))} ms of main-thread time per frame; the extension adds ${perFrame(extra.task)} ms per frame (script ${perFrame(extra.script)}, layout ${perFrame(extra.layout)}, style ${perFrame(extra.style)}, the rest painting and other tasks).`,
    );
    notes.push(
      `During the ${reps + 1} passes with the extension it made ${load.statusReads} status reads (about ${Math.round((load.statusReads ?? 0) / (reps + 1))} per pass through the list, to identify rows it had not seen), ${load.rateLimited} of them refused by the sandbox's rate limit (code 40100), peak ${load.peakPerSecond} requests in one second.`,
    );
    if (ratio > TARGET) {
      options.log(
        'page-overhead: target missed; profiling one more pass with the extension to find where the time goes',
      );
      notes.push(describeAttribution(await profiledPass(launched.context, sandbox, step)));
      notes.push(
        "What bounds it: while the table moves, the overlay re-reads every visible row each frame (its name, and its IDs through a synchronous event to the page-world bridge) and re-measures each name cell, because a recycled row may now show another object and a control must never sit on the wrong row; the identity is also re-read at click time. Caching identities between frames (invalidated by the table's own mutations) and reading positions once per frame from the table's transform would cut most of the script time; it is not done yet, because every shortcut there trades against the guarantee that a control is on its own row. The row-identity reads are also not rate-limited while scrolling (a queue that drops lookups for rows scrolled away is needed first).",
      );
    }
    return result(
      'page-overhead',
      [
        {
          label: 'main-thread time, with / without extension',
          value: ratio,
          unit: 'x',
          target: `≤ ${TARGET}x`,
          met: ratio <= TARGET,
        },
      ],
      {
        campaigns: CAMPAIGNS,
        stepPx: step,
        pairs: reps,
        frameRate: round(fps, 1),
        ratios: ratios.map((r) => round(r, 3)),
        taskMsWith: withExt.map((m) => round(m.taskMs, 0)),
        taskMsWithout: without.map((m) => round(m.taskMs, 0)),
        scriptMsWith: withExt.map((m) => round(m.scriptMs, 0)),
        scriptMsWithout: without.map((m) => round(m.scriptMs, 0)),
        layoutMsWith: withExt.map((m) => round(m.layoutMs, 0)),
        layoutMsWithout: without.map((m) => round(m.layoutMs, 0)),
        styleMsWith: withExt.map((m) => round(m.styleMs, 0)),
        styleMsWithout: without.map((m) => round(m.styleMs, 0)),
        wallSecondsWith: summary(
          withExt.map((m) => m.wallMs / 1000),
          2,
        ),
        wallSecondsWithout: summary(
          without.map((m) => m.wallMs / 1000),
          2,
        ),
        ratioOfMedians: round(median(withExt.map((m) => m.taskMs)) / median(without.map((m) => m.taskMs)), 3),
        rowsListed: rows,
        extraMsPerPass: Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, round(median(v), 0)])),
        extensionApiLoadAllPasses: load,
      },
      `Main-thread task time (CDP Performance.getMetrics TaskDuration, thread CPU ticks) of the sandbox campaign page while a wheel event each animation frame (${step} px) scrolls through all ${CAMPAIGNS.toLocaleString('en')} rows; extension loaded and connected vs a second Chromium without it, fresh page per pass, ${reps} alternating pairs after one warm-up pass each; figure = median of the per-pair ratios.`,
      notes,
    );
  } finally {
    await closeAll(plain, launched.context, sandbox);
  }
}

export const pageOverhead: Benchmark = {
  name: 'page-overhead',
  title: 'Page overhead: main-thread time while scrolling 10,000 rows, with vs without the extension',
  needs: ['sandbox'],
  run,
};
