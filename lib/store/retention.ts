import { openDatabase, type SafePauseDatabase } from './db';

/**
 * Removes history older than the retention setting: audit rows by time, and finished jobs by their last
 * update. Open jobs are never removed, whatever their age.
 */
export async function pruneHistory(
  retentionDays: number,
  now = Date.now(),
  open: () => Promise<SafePauseDatabase> = openDatabase,
): Promise<{ audit: number; jobs: number }> {
  const cutoff = now - retentionDays * 86_400_000;
  const db = await open();
  const tx = db.transaction(['audit', 'jobs'], 'readwrite');
  let audit = 0;
  let jobs = 0;
  let auditCursor = await tx.objectStore('audit').index('by-time').openCursor(IDBKeyRange.upperBound(cutoff, true));
  while (auditCursor) {
    await auditCursor.delete();
    audit += 1;
    auditCursor = await auditCursor.continue();
  }
  let jobCursor = await tx.objectStore('jobs').index('by-updated').openCursor(IDBKeyRange.upperBound(cutoff, true));
  while (jobCursor) {
    if (jobCursor.value.phase === 'done') {
      await jobCursor.delete();
      jobs += 1;
    }
    jobCursor = await jobCursor.continue();
  }
  await tx.done;
  return { audit, jobs };
}
