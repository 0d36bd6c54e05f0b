/** What every benchmark module exports, and what it returns. */

/** Builds a benchmark may need: private copies, never the shared `.output` folders themselves. */
export interface BenchBuilds {
  /** Private copy of the sandbox flavour (`wxt build --mode sandbox`), the one loaded into Chromium. */
  sandboxDir?: string;
  /** Private copy of the store flavour (`wxt build`). */
  storeDir?: string;
}

export interface BenchOptions extends BenchBuilds {
  /** Repetitions per side (each benchmark has its own default). */
  reps?: number;
  /** Fewer repetitions and shorter runs, for trying the harness; figures are still real, only noisier. */
  quick: boolean;
  /** Progress to stderr; the figure itself is printed by the runner, last. */
  log(message: string): void;
}

/** One figure with its target. A result has a headline figure and may have more (e.g. warm and cold). */
export interface Figure {
  /** Short label in the table, e.g. "warm worker, p95". */
  label: string;
  /** The measured number; never a placeholder. */
  value: number;
  /** "x", "frames", "ms", "reads", "KB" … */
  unit: string;
  /** Human-readable target, e.g. "≤ 1.05x"; null when only reported. */
  target: string | null;
  /** Whether the target is met; null when there is no target. */
  met: boolean | null;
}

export interface BenchResult {
  /** The registry name, e.g. "page-overhead". */
  name: string;
  /** The headline figure (also in `figures`, first). */
  figure: number;
  unit: string;
  target: string | null;
  /** True when every figure with a target meets it. */
  met: boolean | null;
  /** Every figure of the benchmark, headline first. */
  figures: Figure[];
  /** Raw numbers behind the figures (per-repetition values, percentiles, settings), kept in results.json. */
  details: Record<string, unknown>;
  /** What was measured and how, in a sentence or two, for BENCHMARKS.md. */
  method: string;
  /** Observations from this run: a missed target's cause, caveats. */
  notes: string[];
}

export type BuildNeed = 'sandbox' | 'store';

export interface Benchmark {
  name: string;
  /** One line for BENCHMARKS.md and --list. */
  title: string;
  /** Which builds the runner must prepare (private copies) before calling `run`. */
  needs: readonly BuildNeed[];
  /** Measures; throws when it could not measure (the runner then exits non-zero and records nothing). */
  run(options: BenchOptions): Promise<BenchResult>;
}

/** A benchmark of the issue that is not implemented yet: listed in BENCHMARKS.md as such. */
export interface PlannedBenchmark {
  name: string;
  title: string;
  target: string;
}

/** Builds a result from its figures: the first one is the headline. */
export function result(
  name: string,
  figures: Figure[],
  details: Record<string, unknown>,
  method: string,
  notes: string[] = [],
): BenchResult {
  const head = figures[0];
  if (!head) throw new Error(`${name}: no figure measured`);
  for (const f of figures) {
    if (!Number.isFinite(f.value)) throw new Error(`${name}: ${f.label} is not a number (${f.value})`);
  }
  const judged = figures.filter((f) => f.met !== null);
  return {
    name,
    figure: head.value,
    unit: head.unit,
    target: head.target,
    met: judged.length === 0 ? null : judged.every((f) => f.met),
    figures,
    details,
    method,
    notes,
  };
}
