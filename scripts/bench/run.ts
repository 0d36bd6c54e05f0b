/**
 * `npm run bench [name…] [options]`: runs benchmarks in headless Chromium against the sandbox, merges their
 * figures into scripts/bench/results.json and rewrites BENCHMARKS.md. Each benchmark's figure prints last;
 * the exit code is non-zero when any benchmark could not measure.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PLANNED, REGISTRY } from './registry';
import { prepareBuilds } from './support/builds';
import { describeMachine, describeSource } from './support/machine';
import { formatValue, readResults, renderMarkdown, type StoredResult, writeResults } from './support/report';
import type { BenchResult, BuildNeed } from './types';

/** The repository root: builds, results and BENCHMARKS.md are found from here, wherever the command runs. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RESULTS_FILE = path.join(ROOT, 'scripts/bench/results.json');
const MARKDOWN_FILE = path.join(ROOT, 'BENCHMARKS.md');

const USAGE = `Usage: npx tsx scripts/bench/run.ts [name…] [options]
  name…         benchmarks to run (default: all): ${REGISTRY.map((b) => b.name).join(', ')}
  --ext DIR     copy this sandbox build (wxt build --mode sandbox) instead of building it
  --store DIR   copy this store build (wxt build) instead of building it
  --no-build    use .output/ as it is (build only what is missing)
  --reps N      repetitions per side
  --quick       fewer repetitions (noisier; rows are marked quick)
  --no-write    do not touch results.json or BENCHMARKS.md
  --list        list the benchmarks and exit`;

const log = (message: string) => process.stderr.write(`${message}\n`);

function figureLines(r: BenchResult): string[] {
  // The headline figure is first in `figures`: print the others, then the headline, last.
  const lines = r.figures.map((f) => {
    const target = f.target ? ` (target ${f.target}: ${f.met ? 'met' : 'MISSED'})` : '';
    return `${r.name}: ${f.label}: ${formatValue(f)}${target}`;
  });
  return [...lines.slice(1), lines[0] as string];
}

async function main(): Promise<number> {
  process.chdir(ROOT);
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      ext: { type: 'string' },
      store: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      reps: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.list) {
    for (const b of REGISTRY) console.log(`${b.name.padEnd(20)} ${b.title}`);
    for (const p of PLANNED) console.log(`${p.name.padEnd(20)} (not implemented yet) ${p.title}`);
    return 0;
  }
  const unknown = positionals.filter((n) => !REGISTRY.some((b) => b.name === n));
  if (unknown.length > 0) {
    log(`Unknown benchmark: ${unknown.join(', ')}\n${USAGE}`);
    return 2;
  }
  const reps = values.reps === undefined ? undefined : Number(values.reps);
  if (reps !== undefined && (!Number.isInteger(reps) || reps < 1)) {
    log('--reps must be a whole number ≥ 1');
    return 2;
  }
  const selected = positionals.length > 0 ? REGISTRY.filter((b) => positionals.includes(b.name)) : REGISTRY;
  const needs = new Set<BuildNeed>(selected.flatMap((b) => b.needs));
  const machine = describeMachine();
  const source = describeSource();
  const prepared = await prepareBuilds(
    needs,
    { sandbox: values.ext, store: values.store, build: !values['no-build'] },
    log,
  );
  const measured: StoredResult[] = [];
  const failed: string[] = [];
  try {
    for (const bench of selected) {
      log(`\n== ${bench.name}: ${bench.title}`);
      const started = Date.now();
      try {
        const r = await bench.run({ ...prepared.builds, reps, quick: values.quick, log });
        measured.push({
          ...r,
          measuredAt: new Date().toISOString(),
          machine,
          quick: values.quick,
          builds: Object.fromEntries(bench.needs.map((n) => [n, prepared.origins[n] ?? '?'])),
          source,
        });
        log(`== ${bench.name} done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      } catch (error) {
        failed.push(bench.name);
        log(
          `== ${bench.name} could not measure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      }
    }
  } finally {
    prepared.cleanup();
  }

  if (!values['no-write'] && measured.length > 0) {
    const file = readResults(RESULTS_FILE);
    for (const r of measured) file.results[r.name] = r;
    writeResults(RESULTS_FILE, file);
    const markdown = renderMarkdown(file, REGISTRY, PLANNED);
    writeFileSync(MARKDOWN_FILE, markdown);
    log(`\nWrote ${path.relative(process.cwd(), MARKDOWN_FILE)} and ${path.relative(process.cwd(), RESULTS_FILE)}.`);
  }
  for (const name of failed) console.log(`${name}: could not measure (see the error above)`);
  for (const r of measured) for (const line of figureLines(r)) console.log(line);
  return failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
