import { ApiError } from './envelope';

/** Parsing of TikTok-style parameters: complex values arrive as JSON strings in the query. */

export function jsonParam(query: URLSearchParams, name: string): unknown {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new ApiError(40002, `${name}: Not a valid JSON string.`);
  }
}

export function stringArray(value: unknown, name: string, max: number, min = 0): string[] {
  if (!Array.isArray(value)) throw new ApiError(40002, `${name}: Not a valid list.`);
  if (value.length < min) throw new ApiError(40002, `${name}: Length must be between ${min} and ${max}.`);
  if (value.length > max) throw new ApiError(40002, `${name}: Length must be between ${min} and ${max}.`);
  return value.map((v, i) => {
    if (typeof v !== 'string') throw new ApiError(40002, `${name}[${i}]: Not a valid string.`);
    return v;
  });
}

export function intParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) throw new ApiError(40002, `${name}: Not a valid integer.`);
  const n = Number(raw);
  if (n < min || n > max) throw new ApiError(40002, `${name}: Must be between ${min} and ${max}.`);
  return n;
}

export function asRecord(value: unknown, name: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiError(40002, `${name}: Not a valid object.`);
  }
  return value as Record<string, unknown>;
}

export interface PageInfo {
  page: number;
  page_size: number;
  total_number: number;
  total_page: number;
}

export function paginate<T>(items: T[], page: number, pageSize: number): { slice: T[]; pageInfo: PageInfo } {
  return {
    slice: items.slice((page - 1) * pageSize, page * pageSize),
    pageInfo: { page, page_size: pageSize, total_number: items.length, total_page: Math.ceil(items.length / pageSize) },
  };
}
