import type { ApiClient } from '../api/client';
import type { ApiObject } from '../api/schemas';
import type { Level } from '../messages/schema';

/** How long an API read of an object counts as fresh for drawing controls (identity is re-read on confirm). */
const FRESH_MS = 60_000;
const FILTER_MAX = 100;

interface Entry {
  at: number;
  object: ApiObject | null;
}

/**
 * The API's own view of objects, by advertiser, level and ID, read on demand for the candidate IDs found
 * behind rows (a filter of up to 100 IDs per call) rather than by listing whole accounts. An ID that the
 * level's endpoint does not return for the advertiser is remembered as unknown.
 */
export function createCatalog(now: () => number = Date.now) {
  const entries = new Map<string, Entry>();
  const key = (advertiserId: string, level: Level, id: string) => `${advertiserId}|${level}|${id}`;

  async function lookup(
    client: ApiClient,
    advertiserId: string,
    level: Level,
    ids: readonly string[],
    maxAgeMs = FRESH_MS,
  ): Promise<Map<string, ApiObject>> {
    const unique = [...new Set(ids)];
    const stale = unique.filter((id) => {
      const entry = entries.get(key(advertiserId, level, id));
      return !entry || now() - entry.at > maxAgeMs;
    });
    for (let i = 0; i < stale.length; i += FILTER_MAX) {
      const chunk = stale.slice(i, i + FILTER_MAX);
      const page = await client.getObjects(level, advertiserId, { ids: chunk, pageSize: FILTER_MAX });
      const found = new Map(page.data.list.map((object) => [object.id, object]));
      const at = now();
      for (const id of chunk) entries.set(key(advertiserId, level, id), { at, object: found.get(id) ?? null });
    }
    const result = new Map<string, ApiObject>();
    for (const id of unique) {
      const object = entries.get(key(advertiserId, level, id))?.object;
      if (object && (object.advertiserId === null || object.advertiserId === advertiserId)) result.set(id, object);
    }
    return result;
  }

  /** When the object's cached read was taken (undefined if never read). */
  function readAt(advertiserId: string, level: Level, id: string): number | undefined {
    return entries.get(key(advertiserId, level, id))?.at;
  }

  function forget(advertiserId: string, level: Level, ids: readonly string[]) {
    for (const id of ids) entries.delete(key(advertiserId, level, id));
  }

  return { lookup, readAt, forget };
}

export type Catalog = ReturnType<typeof createCatalog>;
