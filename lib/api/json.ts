/**
 * Lossless JSON parsing for TikTok responses.
 *
 * TikTok IDs are 64-bit integers. v1.3 sends them as strings, but some payloads (old-style
 * examples, `scope` arrays, v1.2-shaped echoes) still carry bare JSON numbers above 2^53, which
 * `JSON.parse` silently rounds. Here every integer that is not a safe integer is kept as its exact
 * digit string; every other number (budgets, codes, page counts) becomes an ordinary JS number.
 */
import { isInteger, isSafeNumber, parse } from 'lossless-json';

/**
 * Turns the source text of one JSON number into a value:
 * - a safe integer or an ordinary float → `number`
 * - an integer outside ±(2^53 − 1) → its exact source digits as a `string`
 */
export function parseJsonNumber(source: string): number | string {
  if (isInteger(source) && !isSafeNumber(source)) return source;
  // Floats that lose a few insignificant digits (0.1234567890123456789) are fine as numbers.
  return Number(source);
}

/**
 * Parses JSON text without losing 64-bit integers. Throws `SyntaxError` on malformed text and on a
 * key repeated with a different value (an ambiguous document).
 */
export function parseJsonLossless(text: string): unknown {
  return parse(text, null, { parseNumber: parseJsonNumber });
}
