import type { Ad, CpaStep } from './types';

/** Lifetime counters of one ad derived from its lifetime spend: deterministic, monotonic, integer. */
export interface Counters {
  spend: number;
  impressions: number;
  clicks: number;
  conversions: number;
}

/** After an ad's drift point its marginal cost per conversion is this many times higher. */
export const CPA_DRIFT_FACTOR = 3;

export function countersAt(ad: Ad, spend: number): Counters {
  const impressions = Math.floor((spend * ad.impressionsPerDollar) / 100);
  const clicks = Math.floor((impressions * ad.ctrBp) / 10_000);
  return { spend, impressions, clicks, conversions: Math.min(conversionsAt(ad, spend), clicks) };
}

/** Conversions of an ad at a lifetime spend, before clamping to clicks: monotonic in spend. */
export function conversionsAt(ad: Ad, spend: number): number {
  const steps = ad.cpaSteps;
  if (steps && steps.length > 0) {
    for (let i = steps.length - 1; i >= 0; i--) {
      const step = steps[i] as CpaStep;
      if (spend >= step.fromMinor) return step.baseConversions + Math.floor((spend - step.fromMinor) / step.cpaMinor);
    }
  }
  if (ad.driftFromMinor === null || spend <= ad.driftFromMinor) return Math.floor(spend / ad.cpaMinor);
  return (
    Math.floor(ad.driftFromMinor / ad.cpaMinor) +
    Math.floor((spend - ad.driftFromMinor) / (ad.cpaMinor * CPA_DRIFT_FACTOR))
  );
}

/**
 * From the ad's lifetime spend `spendNow` on, each conversion costs `cpaMinor`: what it converted so far stays
 * as it was (reports of the past do not change), and only later spend converts at the new rate.
 */
export function setMarginalCpa(ad: Ad, spendNow: number, cpaMinor: number): void {
  const baseConversions = conversionsAt(ad, spendNow);
  const steps = (ad.cpaSteps ?? []).filter((s) => s.fromMinor < spendNow);
  steps.push({ fromMinor: spendNow, baseConversions, cpaMinor });
  ad.cpaSteps = steps;
}

export function emptyCounters(): Counters {
  return { spend: 0, impressions: 0, clicks: 0, conversions: 0 };
}

/** Adds (b - a) into `into`. */
export function addDifference(into: Counters, a: Counters, b: Counters): void {
  into.spend += b.spend - a.spend;
  into.impressions += b.impressions - a.impressions;
  into.clicks += b.clicks - a.clicks;
  into.conversions += b.conversions - a.conversions;
}

/** Counters of one ad between two minutes (end exclusive). */
export function adCountersBetween(ad: Ad, from: number, to: number): Counters {
  const out = emptyCounters();
  if (to <= from) return out;
  addDifference(out, countersAt(ad, ad.track.at(from)), countersAt(ad, ad.track.at(to)));
  return out;
}
