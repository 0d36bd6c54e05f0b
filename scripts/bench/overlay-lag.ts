import type { Page } from '@playwright/test';
import {
  closeAll,
  connect,
  frameRate,
  inPage,
  launchExtension,
  openTablePage,
  type RunningSandbox,
  startBenchSandbox,
} from './support/browser';
import { median, percentile, round, summary } from './support/stats';
import { type Benchmark, type BenchOptions, result } from './types';

const CAMPAIGNS = 10_000;
/** Frames to wait for a control before the row counts as never placed (2 s at 60 fps). */
const MAX_FRAMES = 120;
/** A control is on its row when its centre is within this many pixels of the name cell's centre. */
const TOLERANCE_PX = 2;
const TARGET_FRAMES = 1;

/** Wheel steps (px) of one down pass: recycling by whole rows, part rows and more than a screen. */
const DOWN = [130, 250, 336, 90, 410, 48, 620, 175];

interface Sample {
  id: string;
  /** Frames from the frame that showed the scroll step to the first frame with the control on the row. */
  frames: number;
  ms: number;
  /** The row had a control placed on it before, in this page (its identity was known). */
  known: boolean;
  /** The overlay had been still long enough to stop its per-frame loop before this step. */
  fromIdle: boolean;
  censored: boolean;
}

interface ProbeArgs {
  steps: number[];
  idleEvery: number;
  idleFrames: number;
  maxFrames: number;
  tolerance: number;
}

/**
 * Runs in the page. For each wheel step: dispatches it between frames (where real input arrives), then samples
 * after every rendered frame (a message posted from the frame callback runs after the frame is drawn) which name
 * cells are fully in the table's visible body and whether the overlay's control for that row's object (by the
 * page's own props, the truth) sits on it. Counts frames from the frame that moved the table.
 */
function lagProbe(arg: ProbeArgs): Promise<{ samples: Sample[]; steps: number; unmoved: number }> {
  const table = document.querySelector('ks-virtual-table');
  const shadow = document.querySelector('safepause-overlay')?.shadowRoot;
  if (!table || !shadow) return Promise.reject(new Error('no table or no SafePause overlay (open shadow root)'));
  const channel = new MessageChannel();
  let wake: ((t: number) => void) | null = null;
  channel.port1.onmessage = () => {
    const w = wake;
    wake = null;
    w?.(performance.now());
  };
  /** Resolves after the next frame is rendered. */
  const afterFrame = () =>
    new Promise<number>((resolve) => {
      wake = resolve;
      requestAnimationFrame(() => channel.port2.postMessage(0));
    });
  const band = () => {
    const rect = table.getBoundingClientRect();
    let top = rect.top;
    for (const h of table.querySelectorAll(':scope > .ks-virtual-table__header-cell')) {
      top = Math.max(top, h.getBoundingClientRect().bottom);
    }
    let bottom = rect.bottom;
    const footer = table.querySelector(':scope > [slot^="footer-"]') as HTMLElement | null;
    for (let el: Element | null = footer?.assignedSlot ?? null; el; el = el.parentElement) {
      const edge = el.getBoundingClientRect().top;
      if (edge > rect.top + 50) bottom = Math.min(bottom, edge);
    }
    return { top, bottom };
  };
  type Row = { id: string; cy: number; left: number; right: number };
  const visibleRows = (): Row[] => {
    const { top, bottom } = band();
    const rows: Row[] = [];
    for (const link of table.querySelectorAll<HTMLElement>(':scope > .ks-virtual-table__cell a.KsLink')) {
      const wrapper = link.parentElement as (HTMLElement & Record<string, unknown>) | null;
      const cell = link.closest('.ks-virtual-table__cell');
      if (!wrapper || !cell) continue;
      const key = Object.keys(wrapper).find((k) => k.startsWith('__reactProps$'));
      const props = key ? (wrapper[key] as { children?: { props?: { record?: Record<string, string> } } }) : undefined;
      const id = props?.children?.props?.record?.campaign_id;
      const r = cell.getBoundingClientRect();
      if (!id || r.top < top - 0.5 || r.bottom > bottom + 0.5) continue;
      rows.push({ id, cy: r.top + r.height / 2, left: r.left, right: r.right });
    }
    return rows;
  };
  const aligned = (row: Row): boolean => {
    const control = shadow.querySelector(`.sp-control[data-object-id="${row.id}"]`);
    const button = control?.querySelector('button.sp-action');
    if (!button) return false;
    // The control names the object's API name, which may differ from the cell's text in spaces and invisible
    // characters; which object it is for is the page's own truth (props), matched by the control's object ID.
    if (!/^(Pause|Resume) campaign /.test(button.getAttribute('aria-label') ?? '')) return false;
    const b = button.getBoundingClientRect();
    return (
      Math.abs(b.top + b.height / 2 - row.cy) <= arg.tolerance &&
      b.left >= row.left - arg.tolerance &&
      b.right <= row.right + arg.tolerance
    );
  };
  const signature = (rows: Row[]) => rows.map((r) => `${r.id}@${Math.round(r.cy)}`).join(';');
  const wheel = (dy: number) => {
    const box = table.getBoundingClientRect();
    table.dispatchEvent(
      new WheelEvent('wheel', {
        deltaY: dy,
        clientX: box.left + box.width / 2,
        clientY: box.top + box.height / 2,
        bubbles: true,
        cancelable: true,
        composed: true,
      }),
    );
  };

  const run = async () => {
    const known = new Set<string>();
    const samples: Sample[] = [];
    let unmoved = 0;
    // Rows on screen at the start count as known once placed.
    for (let f = 0; f < arg.maxFrames; f += 1) {
      await afterFrame();
      const rows = visibleRows();
      if (rows.length > 0 && rows.every(aligned)) {
        for (const r of rows) known.add(r.id);
        break;
      }
    }
    for (const [index, step] of arg.steps.entries()) {
      const fromIdle = index % arg.idleEvery === arg.idleEvery - 1;
      for (let f = 0; f < (fromIdle ? arg.idleFrames : 1); f += 1) await afterFrame();
      const before = signature(visibleRows());
      wheel(step);
      const t0 = performance.now();
      let tracked: Row[] | null = null;
      let movedAt = 0;
      const done = new Map<string, Sample>();
      for (let f = 0; f < arg.maxFrames; f += 1) {
        const t = await afterFrame();
        const rows = visibleRows();
        if (!tracked) {
          if (signature(rows) === before) continue;
          tracked = rows;
          movedAt = f;
        }
        const now = new Map(rows.map((r) => [r.id, r]));
        for (const row of tracked) {
          if (done.has(row.id)) continue;
          const current = now.get(row.id);
          if (current && aligned(current)) {
            done.set(row.id, {
              id: row.id,
              frames: f - movedAt,
              ms: t - t0,
              known: known.has(row.id),
              fromIdle,
              censored: false,
            });
          }
        }
        if (done.size === tracked.length) break;
      }
      if (!tracked) {
        unmoved += 1;
        continue;
      }
      for (const row of tracked) {
        if (!done.has(row.id)) {
          done.set(row.id, {
            id: row.id,
            frames: arg.maxFrames,
            ms: Number.NaN,
            known: known.has(row.id),
            fromIdle,
            censored: true,
          });
        }
      }
      for (const s of done.values()) {
        samples.push(s);
        if (!s.censored) known.add(s.id);
      }
    }
    channel.port1.close();
    return { samples, steps: arg.steps.length, unmoved };
  };
  return run();
}

/** Down a stretch, back up over the same rows (known), down again, then jumps onto rows never shown. */
function schedule(quick: boolean): number[] {
  const down: number[] = [];
  const rounds = quick ? 2 : 4;
  for (let i = 0; i < rounds; i += 1) down.push(...DOWN);
  const up = [...down].reverse().map((s) => -s);
  const jumps = quick ? [9_000, 12_000] : [9_000, 12_000, 30_000, 45_000];
  return [...down, ...up, ...down, ...jumps];
}

async function oneRun(page: Page, quick: boolean): Promise<{ samples: Sample[]; steps: number; unmoved: number }> {
  return inPage(page, lagProbe, {
    steps: schedule(quick),
    idleEvery: 3,
    idleFrames: 20,
    maxFrames: MAX_FRAMES,
    tolerance: TOLERANCE_PX,
  });
}

async function run(options: BenchOptions): Promise<ReturnType<typeof result>> {
  if (!options.sandboxDir) throw new Error('overlay-lag needs the sandbox build');
  const reps = options.reps ?? (options.quick ? 1 : 3);
  let sandbox: RunningSandbox | undefined;
  const launched = await launchExtension(options.sandboxDir);
  try {
    sandbox = await startBenchSandbox({ campaigns: CAMPAIGNS });
    await connect(launched, sandbox);
    const runs: Array<{ samples: Sample[]; steps: number; unmoved: number; fps: number }> = [];
    for (let i = 0; i < reps; i += 1) {
      const page = await openTablePage(launched.context, sandbox, true);
      try {
        await page.waitForTimeout(1000);
        const fps = await frameRate(page);
        const r = await oneRun(page, options.quick);
        runs.push({ ...r, fps });
        const known = r.samples.filter((s) => s.known && !s.censored).map((s) => s.frames);
        options.log(
          `  run ${i + 1}: ${r.steps} steps, ${r.samples.length} row placements, known rows p95 ${known.length ? percentile(known, 95) : '—'} frames, ${fps.toFixed(0)} fps`,
        );
      } finally {
        await page.close();
      }
    }
    const all = runs.flatMap((r) => r.samples);
    const known = all.filter((s) => s.known);
    const first = all.filter((s) => !s.known);
    if (known.length === 0) throw new Error('no row placement of a known row was observed');
    const perRunP95 = runs.map((r) => {
      const k = r.samples.filter((s) => s.known).map((s) => s.frames);
      return k.length ? percentile(k, 95) : Number.NaN;
    });
    const p95 = median(perRunP95.filter((v) => Number.isFinite(v)));
    const histogram = (list: Sample[]) => {
      const h: Record<string, number> = { '0': 0, '1': 0, '2': 0, '3+': 0, never: 0 };
      for (const s of list) {
        const k = s.censored ? 'never' : s.frames >= 3 ? '3+' : String(s.frames);
        h[k] = (h[k] ?? 0) + 1;
      }
      return h;
    };
    const firstPlaced = first.filter((s) => !s.censored);
    const notes: string[] = [
      `Known rows are rows whose control was placed before in the same page: the figure is how long placement takes once the row's identity is known. Rows shown for the first time first need their identity read from the API by the worker (up to 100 IDs per read); that wait is reported separately: ${
        firstPlaced.length
          ? `p95 ${percentile(
              firstPlaced.map((s) => s.frames),
              95,
            )} frames / ${round(
              percentile(
                firstPlaced.map((s) => s.ms),
                95,
              ),
              0,
            )} ms`
          : 'no first-seen row was placed'
      }, over ${first.length} first-seen placements.`,
    ];
    const slowKnown = known.filter((s) => s.frames > TARGET_FRAMES);
    if (p95 > TARGET_FRAMES) {
      const idleShare = slowKnown.filter((s) => s.fromIdle).length;
      notes.push(
        `Missed: ${slowKnown.length} of ${known.length} known-row placements took more than ${TARGET_FRAMES} frame (${idleShare} of them on steps taken after the overlay had stopped its per-frame loop).`,
      );
    }
    return result(
      'overlay-lag',
      [
        {
          label: 'frames until a recycled/moved row has its control, p95',
          value: p95,
          unit: 'frames',
          target: `≤ ${TARGET_FRAMES} frame`,
          met: p95 <= TARGET_FRAMES,
        },
      ],
      {
        campaigns: CAMPAIGNS,
        runs: reps,
        stepsPerRun: runs[0]?.steps,
        frameRate: runs.map((r) => round(r.fps, 1)),
        knownP95PerRun: perRunP95,
        knownFrames: summary(
          known.filter((s) => !s.censored).map((s) => s.frames),
          0,
        ),
        knownHistogram: histogram(known),
        knownFromIdleHistogram: histogram(known.filter((s) => s.fromIdle)),
        firstSeenFrames: summary(
          firstPlaced.map((s) => s.frames),
          0,
        ),
        firstSeenMs: summary(
          firstPlaced.map((s) => s.ms),
          0,
        ),
        firstSeenHistogram: histogram(first),
        neverPlaced: all
          .filter((s) => s.censored)
          .slice(0, 10)
          .map((s) => `${s.id}${s.known ? ' (known)' : ''}`),
        stepsWhereTheTableDidNotMove: runs.reduce((n, r) => n + r.unmoved, 0),
        tolerancePx: TOLERANCE_PX,
        maxFramesWaited: MAX_FRAMES,
      },
      `In the page, each wheel step (${DOWN.join(', ')} px, down, back up over the same rows, down again, then jumps of 9,000 to 45,000 px) is dispatched between frames; after every rendered frame a probe compares each name cell fully inside the table's visible body with the overlay's control for that row's object (by the page's own props), centre within ${TOLERANCE_PX} px. Frames are counted from the frame that moved the table (0 = same frame). Every third step starts after 20 still frames (the overlay's per-frame loop has stopped). ${reps} fresh page loads; figure = median over runs of the p95 for known rows.`,
      notes,
    );
  } finally {
    await closeAll(launched.context, sandbox);
  }
}

export const overlayLag: Benchmark = {
  name: 'overlay-lag',
  title: 'Overlay lag: frames between a row appearing or being recycled and its control placed on it',
  needs: ['sandbox'],
  run,
};
