/**
 * Serialises response bodies. Ids are strings everywhere; the numeric-ids fault writes them as bare
 * JSON numbers with every digit kept, as v1.2 and TikTok's own doc samples do.
 */

const ID_KEY = /(^|_)id$/;
const IDS_KEY = /(^|_)ids$/;
const DIGITS = /^\d{15,20}$/;
const MARK = '\u0001num:';

export function toJson(body: unknown, numericIds = false): string {
  if (!numericIds) return JSON.stringify(body);
  return JSON.stringify(mark(body, '')).replace(/"\\u0001num:(\d+)"/g, '$1');
}

function mark(value: unknown, key: string): unknown {
  if (typeof value === 'string') return ID_KEY.test(key) && DIGITS.test(value) ? `${MARK}${value}` : value;
  if (Array.isArray(value)) {
    return value.map((v) =>
      IDS_KEY.test(key) && typeof v === 'string' && DIGITS.test(v) ? `${MARK}${v}` : mark(v, ''),
    );
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mark(v, k)]));
  }
  return value;
}
