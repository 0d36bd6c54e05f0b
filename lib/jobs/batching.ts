/**
 * Pure planning of API calls for due jobs: status updates grouped by advertiser, level and action
 * (at most the level's limit of IDs each), status and spend reads grouped by advertiser and level
 * (at most 100 IDs each), and the halving used to find the ID that makes a whole batch fail.
 */
import { LEVEL_META, type Level } from '../api/ids';
import type { Job, JobAction } from './types';

export interface SendBatch {
  advertiserId: string;
  level: Level;
  action: JobAction;
  jobs: Job[];
}

export interface ReadBatch {
  advertiserId: string;
  level: Level;
  jobs: Job[];
}

/** Splits `items` into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('chunk size must be a whole number ≥ 1');
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The two halves of a batch (the first one takes the extra item). */
export function halve<T>(items: readonly T[]): [T[], T[]] {
  const mid = Math.ceil(items.length / 2);
  return [items.slice(0, mid), items.slice(mid)];
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

const byAge = (a: Job, b: Job): number => a.createdAt - b.createdAt || a.id.localeCompare(b.id);

/**
 * Status-update batches: one per (advertiser, level, action, split group), oldest jobs first, at
 * most the level's ID limit (20) each, one job per object. `splitGroupOf` keeps the halves of a
 * batch that failed as a whole apart, so the next attempt narrows down the ID at fault.
 */
export function planSendBatches(
  jobs: readonly Job[],
  splitGroupOf: (job: Job) => string | undefined = () => undefined,
  maxIds?: number,
): SendBatch[] {
  const batches: SendBatch[] = [];
  const groups = groupBy([...jobs].sort(byAge), (j) =>
    [j.advertiserId, j.level, j.action, splitGroupOf(j) ?? ''].join('\u0000'),
  );
  for (const group of groups.values()) {
    const first = group[0];
    if (!first) continue;
    const seen = new Set<string>();
    const unique: Job[] = [];
    for (const j of group) {
      if (seen.has(j.objectId)) continue;
      seen.add(j.objectId);
      unique.push(j);
    }
    const limit = maxIds ?? LEVEL_META[first.level].maxIdsPerStatusUpdate;
    for (const part of chunk(unique, limit)) {
      batches.push({ advertiserId: first.advertiserId, level: first.level, action: first.action, jobs: part });
    }
  }
  return batches;
}

/** Read batches: one per (advertiser, level), at most `maxIds` distinct object IDs each. */
export function planReadBatches(jobs: readonly Job[], maxIds?: number): ReadBatch[] {
  const batches: ReadBatch[] = [];
  for (const group of groupBy([...jobs].sort(byAge), (j) => `${j.advertiserId}\u0000${j.level}`).values()) {
    const first = group[0];
    if (!first) continue;
    const limit = maxIds ?? LEVEL_META[first.level].maxIdsPerFilter;
    const byObject = groupBy(group, (j) => j.objectId);
    for (const objectIds of chunk([...byObject.keys()], limit)) {
      batches.push({
        advertiserId: first.advertiserId,
        level: first.level,
        jobs: objectIds.flatMap((id) => byObject.get(id) ?? []),
      });
    }
  }
  return batches;
}

/** The batch IDs that TikTok's message names as whole numbers ("Campaign 123 does not exist."). */
export function idsNamedIn(message: string | undefined, ids: readonly string[]): string[] {
  if (!message) return [];
  const tokens = new Set(message.match(/\d+/g) ?? []);
  return ids.filter((id) => tokens.has(id));
}

/** TikTok codes by which a whole batch is refused because of one of its IDs. */
export const SPLITTABLE_CODES: readonly number[] = [40002, 40007];

export type BatchFailurePlan =
  /** Fail these jobs with TikTok's answer; send the others again. */
  | { kind: 'blame'; blamed: string[]; innocent: string[] }
  /** No ID is named: send the halves apart to find it. */
  | { kind: 'split'; halves: [string[], string[]] }
  /** Every job of the batch takes the answer as it is. */
  | { kind: 'all' };

/**
 * What to do when a status update of `objectIds` failed as a whole with a refusal (`not-applied`,
 * not retryable) and `code`: a splittable code names or hides the bad ID; anything else (permission,
 * token) concerns the whole batch.
 */
export function planBatchFailure(
  objectIds: readonly string[],
  code: number | undefined,
  message: string | undefined,
): BatchFailurePlan {
  if (objectIds.length < 2 || code === undefined || !SPLITTABLE_CODES.includes(code)) return { kind: 'all' };
  const named = idsNamedIn(message, objectIds);
  if (named.length > 0 && named.length < objectIds.length) {
    return { kind: 'blame', blamed: named, innocent: objectIds.filter((id) => !named.includes(id)) };
  }
  if (named.length === objectIds.length) return { kind: 'all' };
  return { kind: 'split', halves: halve(objectIds) };
}
