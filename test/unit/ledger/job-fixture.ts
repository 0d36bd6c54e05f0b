/** Jobs for ledger tests, made by the real `createJob` and then moved by hand to a given state. */
import { createJob } from '../../../lib/jobs/state-machine';
import type { Job, JobState, SpendSnapshot } from '../../../lib/jobs/types';

export interface JobFixture {
  id?: string;
  objectName?: string;
  state?: JobState;
  createdAt?: number;
  atClick?: SpendSnapshot | null;
  atConfirm?: SpendSnapshot | null;
  last?: SpendSnapshot | null;
  atWindow?: SpendSnapshot | null;
  requestIds?: string[];
  confirmedAt?: number | null;
  finishedAt?: number | null;
  actor?: Job['actor'];
  lastError?: Job['lastError'];
}

export function makeJob(f: JobFixture = {}): Job {
  const createdAt = f.createdAt ?? Date.UTC(2025, 2, 1, 14, 50);
  const { job } = createJob(
    {
      id: f.id ?? 'job-1',
      level: 'campaign',
      advertiserId: '7556508952121393153',
      objectId: '1800000000000000001',
      objectName: f.objectName ?? 'Spring sale',
      action: 'DISABLE',
      actor: f.actor ?? { kind: 'user' },
      baseline: { operationStatus: 'ENABLE', modifyTime: '2025-03-01 10:00:00' },
    },
    createdAt,
  );
  return {
    ...job,
    state: f.state ?? 'settled',
    requestIds: f.requestIds ?? [],
    confirmedAt: f.confirmedAt ?? null,
    finishedAt: f.finishedAt ?? null,
    lastError: f.lastError ?? null,
    spend: {
      atClick: f.atClick ?? null,
      reads: 2,
      atConfirm: f.atConfirm ?? null,
      last: f.last ?? null,
      atWindow: f.atWindow ?? null,
    },
  };
}
