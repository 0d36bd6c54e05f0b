/** Money is kept as integer minor units; TikTok presents it as decimals. */

export function formatMinor(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(Math.round(minor));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** The float TikTok returns for a budget in the get endpoints. */
export function minorToFloat(minor: number): number {
  return Math.round(minor) / 100;
}

/** A ratio as a 2-decimal string, or "-" where it is undefined. */
export function formatRatio(numerator: number, denominator: number, scale = 1): string {
  if (denominator === 0) return '-';
  return ((numerator / denominator) * scale).toFixed(2);
}
