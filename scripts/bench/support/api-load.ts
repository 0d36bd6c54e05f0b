import type { RunningSandbox } from './browser';

/** What the extension asked of the sandbox's API during a benchmark: requests, rate-limit refusals, peak rate. */
export async function apiLoad(sandbox: RunningSandbox): Promise<Record<string, number>> {
  const all = (await sandbox.requests('/open_api/')).filter((r) => r.actor === null);
  const times = all.map((r) => Date.parse(r.realTime)).sort((a, b) => a - b);
  let peak = 0;
  let start = 0;
  for (let end = 0; end < times.length; end += 1) {
    while ((times[end] as number) - (times[start] as number) >= 1000) start += 1;
    peak = Math.max(peak, end - start + 1);
  }
  return {
    requests: all.length,
    statusReads: all.filter((r) => /\/(campaign|adgroup|ad)\/get\/$/.test(r.path)).length,
    rateLimited: all.filter((r) => r.code === 40100).length,
    peakPerSecond: peak,
  };
}
