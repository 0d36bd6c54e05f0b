import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Benchmark, BenchResult, Figure, PlannedBenchmark } from '../types';
import type { Machine } from './machine';

/** A result as kept in results.json: rows persist across single-benchmark runs. */
export interface StoredResult extends BenchResult {
  measuredAt: string;
  machine: Machine;
  quick: boolean;
  /** Where the measured builds were copied from. */
  builds: Record<string, string>;
  /** The repository's commit when it ran (the builds may predate uncommitted changes). */
  source?: string;
}

export interface ResultsFile {
  /** Bumped when the shape changes; older files are read as empty. */
  version: 1;
  results: Record<string, StoredResult>;
}

export function readResults(file: string): ResultsFile {
  if (!existsSync(file)) return { version: 1, results: {} };
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<ResultsFile>;
  if (parsed.version !== 1 || typeof parsed.results !== 'object' || parsed.results === null) {
    return { version: 1, results: {} };
  }
  return { version: 1, results: parsed.results };
}

export function writeResults(file: string, results: ResultsFile): void {
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  // Keep the file as the repository's formatter prints it (short arrays on one line), so `biome check` stays clean.
  spawnSync('npx', ['biome', 'format', '--write', file], { stdio: 'ignore', shell: process.platform === 'win32' });
}

export function formatValue(f: Pick<Figure, 'value' | 'unit'>): string {
  if (f.unit === 'x') return `${f.value.toFixed(3)}x`;
  if (f.unit === 'KB') return `${f.value.toFixed(1)} KB`;
  if (f.unit === 'ms') return `${Math.round(f.value)} ms`;
  return `${f.value} ${f.value === 1 && f.unit.endsWith('s') ? f.unit.slice(0, -1) : f.unit}`;
}

function verdict(met: boolean | null): string {
  if (met === null) return '—';
  return met ? 'pass' : '**miss**';
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function sameMachine(a: Machine, b: Machine): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function machineLines(m: Machine): string[] {
  return [
    `- CPU: ${m.cpu}, ${m.cores} cores`,
    `- RAM: ${m.ramGiB} GiB`,
    `- OS: ${m.os}`,
    `- Node: ${m.node}`,
    `- Chromium: ${m.chromium} (headless, \`--disable-gpu\`)`,
  ];
}

function detailValue(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ');
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(', ');
  }
  return String(value);
}

export function renderMarkdown(
  file: ResultsFile,
  registry: readonly Benchmark[],
  planned: readonly PlannedBenchmark[],
): string {
  const stored = registry.flatMap((b) => (file.results[b.name] ? [file.results[b.name] as StoredResult] : []));
  const machines: Machine[] = [];
  for (const r of stored) if (!machines.some((m) => sameMachine(m, r.machine))) machines.push(r.machine);
  const machineTag = (r: StoredResult) =>
    machines.length > 1 ? ` (machine ${machines.findIndex((m) => sameMachine(m, r.machine)) + 1})` : '';

  const out: string[] = [];
  out.push('# Benchmarks', '');
  out.push(
    '<!-- Written by `npm run bench` (scripts/bench/run.ts) from scripts/bench/results.json. Do not edit by hand: run the benchmarks. -->',
    '',
  );
  out.push(
    'What a person using SafePause feels, measured in headless Chromium against the local sandbox. These machines are',
    'shared and noisy, so every figure is a ratio or a count measured side by side in one run, or a percentile/median',
    'over repeated runs in one session; absolute times are on this machine only. Each row keeps the date of the run',
    'that measured it: a single benchmark can be re-run alone and only its row changes.',
    '',
  );
  out.push('## Figures', '');
  out.push('| Benchmark | Figure | Measured | Target | Result | Run |');
  out.push('|---|---|---|---|---|---|');
  for (const b of registry) {
    const r = file.results[b.name];
    if (!r) {
      out.push(`| ${b.name} | — | not measured yet | — | — | — |`);
      continue;
    }
    for (const [i, f] of r.figures.entries()) {
      const date = `${r.measuredAt.slice(0, 10)}${r.quick ? ' (quick)' : ''}${machineTag(r)}`;
      out.push(
        `| ${i === 0 ? r.name : ''} | ${escapeCell(f.label)} | ${formatValue(f)} | ${escapeCell(f.target ?? 'reported only')} | ${verdict(f.met)} | ${i === 0 ? date : ''} |`,
      );
    }
  }
  for (const p of planned) {
    out.push(`| ${p.name} | ${escapeCell(p.title)} | not implemented yet | ${escapeCell(p.target)} | — | — |`);
  }
  out.push('');

  out.push('## Machine', '');
  if (machines.length === 0) out.push('No benchmark has run yet.');
  for (const [i, m] of machines.entries()) {
    if (machines.length > 1) out.push(`Machine ${i + 1}:`, '');
    out.push(...machineLines(m), '');
  }
  const dates = stored.map((r) => r.measuredAt).sort();
  if (dates.length > 0) {
    out.push(
      `Runs: ${dates[0]?.slice(0, 16).replace('T', ' ')} to ${dates.at(-1)?.slice(0, 16).replace('T', ' ')} UTC.`,
    );
    out.push('');
  }

  out.push('## How to reproduce', '');
  out.push(
    '```sh',
    'npm install',
    'npm run bench                     # builds both flavours, runs every benchmark, rewrites this file',
    'npm run bench -- page-overhead    # one benchmark (also: npm run bench:page-overhead); its figure prints last',
    'npx tsx scripts/bench/run.ts --list',
    '```',
    '',
    'Options: `--ext DIR` copy this sandbox build instead of building one; `--store DIR` the same for the store build;',
    '`--no-build` use `.output/` as it is (building only what is missing); `--reps N` repetitions per side;',
    '`--quick` fewer repetitions (rows are marked "quick"); `--no-write` print only. The harness always loads a private',
    'copy of the build from a temp folder, never `.output/` itself. A benchmark that cannot measure exits non-zero and',
    'leaves its previous row as it was. Raw numbers of every run are in `scripts/bench/results.json`.',
    '',
  );

  out.push('## Notes per benchmark', '');
  for (const b of registry) {
    out.push(`### ${b.name}`, '');
    out.push(`${b.title}.`, '');
    const r = file.results[b.name];
    if (!r) {
      out.push('Not measured yet.', '');
      continue;
    }
    out.push(`How: ${r.method}`, '');
    for (const note of r.notes) out.push(`- ${note}`);
    if (r.notes.length > 0) out.push('');
    out.push(
      `<details><summary>Raw figures (${r.measuredAt.slice(0, 16).replace('T', ' ')} UTC, builds from ${Object.values(r.builds).join(', ') || 'n/a'}${r.source ? `, ${r.source}` : ''})</summary>`,
      '',
    );
    for (const [key, value] of Object.entries(r.details)) out.push(`- ${key}: ${escapeCell(detailValue(value))}`);
    out.push('', '</details>', '');
  }
  for (const p of planned) {
    out.push(
      `### ${p.name}`,
      '',
      `${p.title}. Target: ${p.target}. Not implemented yet (see the registry in scripts/bench/registry.ts).`,
      '',
    );
  }
  return `${out.join('\n').trimEnd()}\n`;
}
