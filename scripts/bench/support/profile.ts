import type { CDPSession } from '@playwright/test';

/**
 * Where a page's main-thread time went during an action, from a V8 CPU profile: self time by script (the
 * extension's content script and page bridge, the page's own scripts), by browser API called from extension
 * code (getBoundingClientRect, elementsFromPoint …: a forced layout shows up as the time of the call that forced
 * it), and the rest (rendering that no script is charged with shows as "(program)"). Used to explain a miss.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

export interface Attribution {
  /** ms of self time by bucket, largest first. */
  buckets: Array<[string, number]>;
  /** ms of browser API calls made directly from extension code, largest first. */
  extensionApiCalls: Array<[string, number]>;
  totalMs: number;
}

function bucketOf(url: string, fn: string): string {
  if (url.startsWith('chrome-extension://')) {
    if (url.includes('page-bridge')) return 'extension page bridge (JS)';
    if (url.includes('content-scripts/')) return 'extension content script (JS)';
    return 'extension other (JS)';
  }
  if (url) return 'page scripts (JS)';
  return fn || '(native)';
}

export async function profileDuring(cdp: CDPSession, action: () => Promise<unknown>): Promise<Attribution> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
  await cdp.send('Profiler.start');
  let failure: unknown = null;
  try {
    await action();
  } catch (error) {
    failure = error;
  }
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.send('Profiler.disable');
  if (failure) throw failure;
  const nodes = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i += 1) {
    // timeDeltas[i] is the time before sample i; charge the interval after it to the sample.
    const id = samples[i] as number;
    self.set(id, (self.get(id) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
  }
  const buckets = new Map<string, number>();
  const api = new Map<string, number>();
  let totalMs = 0;
  for (const [id, ms] of self) {
    const node = nodes.get(id);
    if (!node) continue;
    totalMs += ms;
    const { url, functionName } = node.callFrame;
    const caller = nodes.get(parent.get(id) ?? -1);
    const callerUrl = caller?.callFrame.url ?? '';
    if (!url && callerUrl.startsWith('chrome-extension://')) {
      const name = functionName || '(native)';
      api.set(name, (api.get(name) ?? 0) + ms);
      const key = 'browser APIs called by the extension';
      buckets.set(key, (buckets.get(key) ?? 0) + ms);
      continue;
    }
    const bucket = !url && callerUrl ? 'browser APIs called by the page' : bucketOf(url, functionName);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + ms);
  }
  const byMs = (a: [string, number], b: [string, number]) => b[1] - a[1];
  return { buckets: [...buckets].sort(byMs), extensionApiCalls: [...api].sort(byMs), totalMs };
}
