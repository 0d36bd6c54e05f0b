import type { Ad } from './types';

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
  let conversions: number;
  if (ad.driftFromMinor === null || spend <= ad.driftFromMinor) {
    conversions = Math.floor(spend / ad.cpaMinor);
  } else {
    conversions =
      Math.floor(ad.driftFromMinor / ad.cpaMinor) +
      Math.floor((spend - ad.driftFromMinor) / (ad.cpaMinor * CPA_DRIFT_FACTOR));
  }
  return { spend, impressions, clicks, conversions: Math.min(conversions, clicks) };
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
