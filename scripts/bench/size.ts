import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { round } from './support/stats';
import { type Benchmark, type BenchOptions, type Figure, result } from './types';

const CONTENT_TARGET_KB = 30;
const BRIDGE_TARGET_KB = 3;

interface Manifest {
  background?: { service_worker?: string };
  action?: { default_popup?: string };
  options_ui?: { page?: string };
  content_scripts?: { js?: string[]; world?: string }[];
}

/** Every file an entry loads: the file, its static imports (transitively), and for an HTML page its scripts, preloads and styles. */
function closure(dir: string, entry: string): string[] {
  const seen = new Set<string>();
  const visit = (rel: string) => {
    const clean = rel.replace(/^\//, '');
    if (seen.has(clean)) return;
    const file = path.join(dir, clean);
    if (!existsSync(file)) throw new Error(`${clean} is referenced but missing from ${dir}`);
    seen.add(clean);
    const text = readFileSync(file, 'utf8');
    if (clean.endsWith('.html')) {
      for (const m of text.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"/g)) {
        const ref = m[1] as string;
        if (!/^[a-z]+:/.test(ref)) visit(ref.startsWith('/') ? ref : path.posix.join(path.posix.dirname(clean), ref));
      }
    } else if (clean.endsWith('.js')) {
      for (const m of text.matchAll(/(?:\bimport\s*(?:[\w*{}\s,$]+from\s*)?|\bimport\()\s*["']([^"']+\.js)["']/g)) {
        const ref = m[1] as string;
        visit(ref.startsWith('/') ? ref : path.posix.join(path.posix.dirname(clean), ref));
      }
    }
  };
  visit(entry);
  return [...seen].sort();
}

function gzipKb(dir: string, files: string[]): { gzipKb: number; rawKb: number } {
  let gz = 0;
  let raw = 0;
  for (const f of files) {
    const bytes = readFileSync(path.join(dir, f));
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  return { gzipKb: round(gz / 1024, 1), rawKb: round(raw / 1024, 1) };
}

function bundles(dir: string): Record<string, string[]> {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const scripts = manifest.content_scripts ?? [];
  const bridge = scripts.filter((c) => c.world === 'MAIN').flatMap((c) => c.js ?? []);
  const content = scripts.filter((c) => c.world !== 'MAIN').flatMap((c) => c.js ?? []);
  const out: Record<string, string[]> = {};
  if (content.length) out['content script'] = [...new Set(content.flatMap((f) => closure(dir, f)))].sort();
  if (bridge.length) out['page bridge'] = [...new Set(bridge.flatMap((f) => closure(dir, f)))].sort();
  if (manifest.background?.service_worker) out.background = closure(dir, manifest.background.service_worker);
  if (manifest.action?.default_popup) out.popup = closure(dir, manifest.action.default_popup);
  if (manifest.options_ui?.page) out.options = closure(dir, manifest.options_ui.page);
  if (existsSync(path.join(dir, 'confirm.html'))) out['confirm prompt'] = closure(dir, 'confirm.html');
  for (const required of ['content script', 'page bridge', 'background', 'popup', 'options']) {
    if (!out[required]) throw new Error(`${dir}: no ${required} found from its manifest`);
  }
  return out;
}

const TARGETS: Record<string, number> = { 'content script': CONTENT_TARGET_KB, 'page bridge': BRIDGE_TARGET_KB };

async function run(options: BenchOptions): Promise<ReturnType<typeof result>> {
  if (!options.storeDir || !options.sandboxDir) throw new Error('size needs the store and sandbox builds');
  const figures: Figure[] = [];
  const details: Record<string, unknown> = {};
  for (const [flavour, dir] of [
    ['store', options.storeDir],
    ['sandbox', options.sandboxDir],
  ] as const) {
    for (const [bundle, files] of Object.entries(bundles(dir))) {
      const { gzipKb: kb, rawKb } = gzipKb(dir, files);
      const target = TARGETS[bundle];
      figures.push({
        label: `${bundle}, ${flavour} build, gzip -9`,
        value: kb,
        unit: 'KB',
        target: target === undefined ? null : `< ${target} KB`,
        met: target === undefined ? null : kb < target,
      });
      details[`${flavour} ${bundle}`] = `${kb} KB gzip, ${rawKb} KB raw: ${files.join(' + ')}`;
    }
  }
  // Headline: the store build's content script (what users install).
  const notes: string[] = [
    'Each bundle is every file its entry loads: the entry, its static imports (transitively), and for an HTML page its scripts, module preloads and stylesheets, each gzipped alone at level 9 (node:zlib) and summed; shared chunks count in every bundle that loads them. KB = 1,024 bytes.',
  ];
  for (const f of figures.filter((x) => x.met === false)) {
    const [bundle, flavour] = f.label.split(', ');
    const dir = flavour?.startsWith('store') ? options.storeDir : options.sandboxDir;
    const files = bundles(dir)[bundle ?? ''] ?? [];
    const text = files.map((file) => readFileSync(path.join(dir, file), 'utf8')).join('\n');
    const zod = (text.match(/_zod\b/g) ?? []).length;
    notes.push(
      `Missed: ${f.label} is ${f.value} KB.${zod > 0 ? ` It contains zod (${zod} references to its \`_zod\` internals); in the content script zod comes in through lib/host/bridge-protocol.ts (lib/zod.ts), which checks the page bridge's replies.` : ''}`,
    );
  }
  return result(
    'size',
    figures,
    details,
    'Built output of `wxt build` (store) and `wxt build --mode sandbox`, read from their manifests.',
    notes,
  );
}

export const size: Benchmark = {
  name: 'size',
  title: 'Size: gzipped size of each bundle (content script, page bridge, background, popup, options)',
  needs: ['store', 'sandbox'],
  run,
};
