import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchBuilds, BuildNeed } from '../types';

/**
 * The builds the benchmarks load or weigh, as PRIVATE copies in a temp folder: other sessions rebuild `.output`
 * and run Playwright concurrently, so a benchmark never loads the shared folder itself.
 */

/** Where wxt writes builds (wxt.config.ts reads SAFEPAUSE_OUTPUT_DIR, default `.output`). */
const OUTPUT_DIR = process.env.SAFEPAUSE_OUTPUT_DIR ?? '.output';

const FLAVOURS: Record<BuildNeed, { outDir: string; buildArgs: string[] }> = {
  sandbox: { outDir: path.join(OUTPUT_DIR, 'chrome-mv3-sandbox'), buildArgs: ['build', '--mode', 'sandbox'] },
  store: { outDir: path.join(OUTPUT_DIR, 'chrome-mv3'), buildArgs: ['build'] },
};

export interface BuildSources {
  /** Copy the sandbox build from here instead of building it (`--ext`). */
  sandbox?: string;
  /** Copy the store build from here instead of building it (`--store`). */
  store?: string;
  /** Build the flavours not given by a source folder first (default); false: use `.output` as it is (built only if missing). */
  build: boolean;
}

function wxtBuild(need: BuildNeed, log: (m: string) => void): void {
  const args = FLAVOURS[need].buildArgs;
  log(`bench: npx wxt ${args.join(' ')}`);
  // stdout of the build goes to stderr: stdout ends with the figures.
  const out = spawnSync('npx', ['wxt', ...args], { stdio: ['ignore', 2, 2], shell: process.platform === 'win32' });
  if (out.status !== 0) throw new Error(`wxt ${args.join(' ')} failed (exit ${out.status ?? out.signal})`);
}

/** Checks that a copied build is whole: its manifest parses and the files it names exist. */
function checkBuild(dir: string): void {
  const manifestPath = path.join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`${dir} has no manifest.json (not a built extension)`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    background?: { service_worker?: string };
    content_scripts?: { js?: string[] }[];
  };
  const files = [
    manifest.background?.service_worker,
    ...(manifest.content_scripts ?? []).flatMap((c) => c.js ?? []),
  ].filter((f): f is string => Boolean(f));
  for (const file of files) {
    if (!existsSync(path.join(dir, file)))
      throw new Error(`${dir} lacks ${file} named in its manifest (partial build?)`);
  }
}

export async function prepareBuilds(
  needs: ReadonlySet<BuildNeed>,
  sources: BuildSources,
  log: (m: string) => void,
): Promise<{ builds: BenchBuilds; origins: Partial<Record<BuildNeed, string>>; cleanup(): void }> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'safepause-bench-'));
  const builds: BenchBuilds = {};
  const origins: Partial<Record<BuildNeed, string>> = {};
  try {
    for (const need of needs) {
      const given = sources[need];
      const from = given ? path.resolve(given) : path.resolve(FLAVOURS[need].outDir);
      if (!given && (sources.build || !existsSync(path.join(from, 'manifest.json')))) wxtBuild(need, log);
      if (!existsSync(from)) throw new Error(`no build at ${from}`);
      const to = path.join(root, need);
      cpSync(from, to, { recursive: true });
      checkBuild(to);
      log(`bench: ${need} build copied from ${from} to ${to}`);
      origins[need] = given ?? FLAVOURS[need].outDir;
      if (need === 'sandbox') builds.sandboxDir = to;
      else builds.storeDir = to;
    }
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return { builds, origins, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
