import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, expect, test } from 'vitest';
import { closeDatabase, openDatabase } from '../../lib/store/db';
import { pruneHistory } from '../../lib/store/retention';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 28);

beforeEach(async () => {
  await closeDatabase();
  globalThis.indexedDB = new IDBFactory();
});

test('removes audit rows and finished jobs older than the retention, and never an open job', async () => {
  const db = await openDatabase();
  const job = (id: string, phase: 'open' | 'done', updatedAt: number) =>
    ({ id, phase, updatedAt, advertiserId: '1', level: 'campaign', objectId: id }) as never;
  await db.put('jobs', job('old-done', 'done', NOW - 40 * DAY));
  await db.put('jobs', job('old-open', 'open', NOW - 40 * DAY));
  await db.put('jobs', job('new-done', 'done', NOW - 2 * DAY));
  await db.add('audit', { jobId: 'old-done', at: NOW - 40 * DAY } as never);
  await db.add('audit', { jobId: 'new-done', at: NOW - 2 * DAY } as never);

  expect(await pruneHistory(30, NOW)).toEqual({ audit: 1, jobs: 1 });
  expect((await db.getAllKeys('jobs')).sort()).toEqual(['new-done', 'old-open']);
  expect((await db.getAll('audit')).map((a) => a.jobId)).toEqual(['new-done']);
});
