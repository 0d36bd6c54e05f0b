/**
 * Money without floating-point drift. An amount is an integer count of the currency's minor units
 * (cents for USD, yen for JPY, fils for KWD), held in a plain `number` that is always a safe integer.
 *
 * Why `number` and not `bigint`: job records live in IndexedDB, go through `structuredClone`,
 * `JSON.stringify` (exports, messages) and `Intl`, all of which take numbers without ceremony,
 * while a bigint throws in JSON. A safe integer holds 2^53 − 1 ≈ 9.007·10^15 minor units: every
 * amount up to 9·10^13 major units in a 2-decimal currency and 9·10^12 in a 3-decimal one is
 * exact, well beyond any advertiser's lifetime spend. Anything outside that range is refused (parse
 * answers `invalid`, arithmetic throws `RangeError`) instead of being rounded silently.
 *
 * Decimal text is converted by string arithmetic, never by multiplying floats: `"14.675"` is
 * 1468 cents, not `Math.round(14.675 * 100)` (= 1467).
 */

/** An integer number of the currency's minor units; always a safe integer. */
export type Minor = number;

/** Anything a report, a job record or an object read may hold where an amount is expected. */
export type MoneyInput = string | number | null | undefined;

/** ISO 4217 currencies whose minor unit is not 1/100. Everything else has 2 decimals. */
const EXPONENTS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** The exponent used for currencies not listed (ISO 4217's usual 2, which is also HUF's). */
export const DEFAULT_CURRENCY_EXPONENT = 2;

/** `' usd '` → `'USD'`. Currency codes are compared and grouped only in this form. */
export function normalizeCurrency(code: string): string {
  return code.trim().toUpperCase();
}

/** Whether `code` has the shape of an ISO 4217 code (three letters, any case). */
export function isCurrencyCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(normalizeCurrency(code));
}

/**
 * Decimal places of the currency's minor unit per ISO 4217: 0 for JPY, KRW, VND, CLP, ISK, …;
 * 3 for KWD, BHD, OMR, JOD, TND, IQD, LYD; 2 otherwise, including HUF (whose ISO exponent is 2 even
 * though CLDR displays it without decimals) and unknown or malformed codes.
 */
export function currencyExponent(code: string): number {
  return EXPONENTS[normalizeCurrency(code)] ?? DEFAULT_CURRENCY_EXPONENT;
}

/** What a money cell held, read without loss. */
export type MoneyReading =
  | { kind: 'amount'; minor: Minor }
  /** Nothing to read: absent, empty, `"-"`, `"N/A"`, `"NaN"`, `"Infinity"` and the like. */
  | { kind: 'not-applicable' }
  /** TikTok's `"<5"`: a bound, not an amount. `bound` is the bound in minor units. */
  | { kind: 'below'; bound: Minor }
  | { kind: 'invalid'; raw: string; reason: string };

/** Texts TikTok (or a person) uses for "no value". Compared case-insensitively after trimming. */
const NOT_APPLICABLE = new Set([
  '',
  '-',
  '--',
  '—',
  'n/a',
  'na',
  'null',
  'none',
  'nan',
  'infinity',
  '+infinity',
  '-infinity',
]);

/**
 * A plain decimal: optional sign, digits with optional `,` grouping in threes (`1,234.50`), an
 * optional fraction and an optional exponent (`1e-7`, as `String(number)` writes small numbers).
 * Anything else (`%`, currency symbols, inner spaces, `1,23`) is refused rather than guessed at.
 */
const DECIMAL = /^([+-]?)(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;

/** Whole minor-unit digits beyond which an amount cannot be a safe integer (2^53 has 16). */
const MAX_WHOLE_DIGITS = 16;

function decimalToMinor(text: string, exponent: number): MoneyReading {
  const m = DECIMAL.exec(text);
  const intText = (m?.[2] ?? '').replace(/,/g, '');
  const fracText = m?.[3] ?? '';
  if (!m || intText.length + fracText.length === 0)
    return { kind: 'invalid', raw: text, reason: 'not a decimal number' };
  const negative = m[1] === '-';
  const all = intText + fracText;
  const digits = all.replace(/^0+/, '');
  if (digits === '') return { kind: 'amount', minor: 0 };
  // How many leading digits of `digits` form the whole number of minor units (may be < 0 or > length).
  const cut = intText.length + Number(m[4] ?? '0') - (all.length - digits.length) + exponent;
  // `digits` has no leading zero, so more than 16 whole digits is always beyond 2^53.
  if (cut > MAX_WHOLE_DIGITS) return { kind: 'invalid', raw: text, reason: 'amount out of range' };
  const kept = cut <= 0 ? '0' : cut >= digits.length ? digits + '0'.repeat(cut - digits.length) : digits.slice(0, cut);
  // Digits below the cut: with cut < 0 the first dropped digit is a leading zero.
  const firstDropped = cut >= 0 && cut < digits.length ? Number(digits[cut]) : 0;
  // Half away from zero: only the first dropped digit decides (≥ 5 means the rest is ≥ one half).
  let magnitude = BigInt(kept);
  if (firstDropped >= 5) magnitude += 1n;
  const value = negative ? -magnitude : magnitude;
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
    return { kind: 'invalid', raw: text, reason: 'amount out of range' };
  }
  return { kind: 'amount', minor: Number(value) };
}

/**
 * Reads an amount in `currency` without loss. Strings are TikTok's metric values (`"14.68"`, `"-"`,
 * `"<5"`); numbers are taken by their shortest round-trip decimal (`0.1 + 0.2` is
 * `"0.30000000000000004"`, so 30 cents). Rounds half away from zero at the currency's exponent.
 * Never yields NaN.
 */
export function readMoney(value: MoneyInput, currency: string): MoneyReading {
  if (value === null || value === undefined) return { kind: 'not-applicable' };
  if (typeof value === 'number' && !Number.isFinite(value)) return { kind: 'not-applicable' };
  const text = String(value).trim();
  if (NOT_APPLICABLE.has(text.toLowerCase())) return { kind: 'not-applicable' };
  const exponent = currencyExponent(currency);
  const below = /^<\s*(.+)$/.exec(text);
  if (below?.[1] !== undefined) {
    const bound = decimalToMinor(below[1], exponent);
    return bound.kind === 'amount' ? { kind: 'below', bound: bound.minor } : bound;
  }
  return decimalToMinor(text, exponent);
}

/**
 * An amount in minor units, or null when there is none to use: not applicable (`"-"`, `""`, `"N/A"`,
 * NaN, Infinity), a bound (`"<5"`), or text that is not a plain decimal. Use `readMoney` to tell
 * those apart.
 */
export function parseMoney(value: MoneyInput, currency: string): Minor | null {
  const reading = readMoney(value, currency);
  return reading.kind === 'amount' ? reading.minor : null;
}

function checkMinor(value: number, what: string): Minor {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} is not a safe integer amount of minor units`);
  return value;
}

/** `minor` as a plain decimal in major units with exactly the currency's decimals: 1468 USD → `"14.68"`. */
export function minorToDecimal(minor: Minor, currency: string): string {
  checkMinor(minor, 'amount');
  const exponent = currencyExponent(currency);
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = exponent > 0 ? `.${digits.slice(digits.length - exponent)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/**
 * `minor` for people, via `Intl.NumberFormat` with the currency's exact decimals (`$14.68`,
 * `￥1,235`, `KWD 1.250`). Formats the exact decimal string, so large amounts keep every digit.
 * A code Intl refuses falls back to `"<decimal> <CODE>"`.
 */
export function formatMoney(minor: Minor, currency: string, locale?: string | readonly string[]): string {
  const decimal = minorToDecimal(minor, currency);
  const exponent = currencyExponent(currency);
  const code = normalizeCurrency(currency);
  try {
    const format = new Intl.NumberFormat(locale as string | string[] | undefined, {
      style: 'currency',
      currency: code,
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    });
    return format.format(decimal as Intl.StringNumericLiteral);
  } catch {
    return `${decimal} ${code}`;
  }
}

/** `a + b`, exact; throws RangeError when either operand or the sum leaves the safe range. */
export function addMoney(a: Minor, b: Minor): Minor {
  return checkMinor(checkMinor(a, 'left operand') + checkMinor(b, 'right operand'), 'sum');
}

/** `a − b`, exact; throws RangeError when either operand or the difference leaves the safe range. */
export function subMoney(a: Minor, b: Minor): Minor {
  return checkMinor(checkMinor(a, 'left operand') - checkMinor(b, 'right operand'), 'difference');
}

/** Sum of amounts in one currency; 0 for none. */
export function sumMoney(amounts: readonly Minor[]): Minor {
  return amounts.reduce<Minor>((sum, x) => addMoney(sum, x), 0);
}

/** `amount × times` for a whole `times`, exact; throws RangeError outside the safe range. */
export function multiplyMoney(amount: Minor, times: number): Minor {
  if (!Number.isSafeInteger(times)) throw new RangeError('times must be a safe integer');
  return checkMinor(checkMinor(amount, 'amount') * times, 'product');
}
