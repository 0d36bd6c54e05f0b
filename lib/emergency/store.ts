import { openDatabase } from '../store/db';
import type { StopRecord } from './plan';

/** Restore points of emergency stops, in the extension's IndexedDB (written strictly: they gate later resumes). */

export async function saveStop(stop: StopRecord): Promise<void> {
  const db = await openDatabase();
  const tx = db.transaction('stops', 'readwrite', { durability: 'strict' });
  await tx.store.put(stop);
  await tx.done;
}

export async function getStop(id: string): Promise<StopRecord | undefined> {
  return (await openDatabase()).get('stops', id);
}

/** Most recent first. */
export async function listStops(limit = 20): Promise<StopRecord[]> {
  const db = await openDatabase();
  const out: StopRecord[] = [];
  let cursor = await db.transaction('stops').store.index('by-created').openCursor(null, 'prev');
  while (cursor && out.length < limit) {
    out.push(cursor.value);
    cursor = await cursor.continue();
  }
  return out;
}
