import { describe, expect, test } from 'vitest';
import type { Level } from '../../../lib/api/ids';
import {
  chunk,
  halve,
  idsNamedIn,
  planBatchFailure,
  planReadBatches,
  planSendBatches,
} from '../../../lib/jobs/batching';
import { createJob } from '../../../lib/jobs/state-machine';
import type { Job, JobAction } from '../../../lib/jobs/types';

let n = 0;
function job(objectId: string, opts: { adv?: string; level?: Level; action?: JobAction } = {}): Job {
  n += 1;
  return createJob(
    {
      id: `j${n}`,
      level: opts.level ?? 'campaign',
      advertiserId: opts.adv ?? '1',
      objectId,
      objectName: objectId,
      action: opts.action ?? 'DISABLE',
      actor: { kind: 'user' },
      baseline: { operationStatus: 'ENABLE', modifyTime: null },
    },
    n,
  ).job;
}

const ids = (count: number, from = 100): string[] => Array.from({ length: count }, (_, i) => String(from + i));

describe('chunk and halve', () => {
  test.each([
    [0, 20, []],
    [5, 20, [5]],
    [20, 20, [20]],
    [45, 20, [20, 20, 5]],
  ])('%i items in chunks of %i', (count, size, sizes) => {
    expect(chunk(ids(count), size).map((c) => c.length)).toEqual(sizes);
  });

  test('halve gives the first half the extra item', () => {
    expect(halve(['a', 'b', 'c'])).toEqual([['a', 'b'], ['c']]);
    expect(halve(['a'])).toEqual([['a'], []]);
  });
});

describe('planSendBatches', () => {
  test('45 campaign pauses make 20 + 20 + 5', () => {
    expect(planSendBatches(ids(45).map((id) => job(id))).map((b) => b.jobs.length)).toEqual([20, 20, 5]);
  });

  test('advertiser, level and action never share a batch', () => {
    const batches = planSendBatches([
      job('1'),
      job('2', { action: 'ENABLE' }),
      job('3', { level: 'adgroup' }),
      job('4', { adv: '2' }),
      job('5'),
    ]);
    expect(batches.map((b) => [b.advertiserId, b.level, b.action, b.jobs.map((j) => j.objectId)])).toEqual([
      ['1', 'campaign', 'DISABLE', ['1', '5']],
      ['1', 'campaign', 'ENABLE', ['2']],
      ['1', 'adgroup', 'DISABLE', ['3']],
      ['2', 'campaign', 'DISABLE', ['4']],
    ]);
  });

  test('split groups keep the halves of a refused batch apart', () => {
    const jobs = ids(6).map((id) => job(id));
    const group = new Map(jobs.map((j, i) => [j.id, i < 3 ? 'a' : 'b']));
    expect(planSendBatches(jobs, (j) => group.get(j.id)).map((b) => b.jobs.length)).toEqual([3, 3]);
  });

  test('one object appears once per batch', () => {
    expect(planSendBatches([job('7'), job('7')]).map((b) => b.jobs.length)).toEqual([1]);
  });
});

describe('planReadBatches', () => {
  test('at most 100 distinct IDs per read, jobs of one object together', () => {
    const jobs = [...ids(150).map((id) => job(id)), job('100')];
    const batches = planReadBatches(jobs);
    expect(batches.map((b) => new Set(b.jobs.map((j) => j.objectId)).size)).toEqual([100, 50]);
    expect(batches[0]?.jobs.filter((j) => j.objectId === '100')).toHaveLength(2);
  });
});

describe('planBatchFailure', () => {
  test.each([
    [
      'names one ID',
      40002,
      'Campaign 102 has been deleted and cannot be changed.',
      { kind: 'blame', blamed: ['102'], innocent: ['100', '101', '103'] },
    ],
    [
      'names no ID',
      40002,
      'Invalid parameter.',
      {
        kind: 'split',
        halves: [
          ['100', '101'],
          ['102', '103'],
        ],
      },
    ],
    [
      '40007 names no ID',
      40007,
      'Not found',
      {
        kind: 'split',
        halves: [
          ['100', '101'],
          ['102', '103'],
        ],
      },
    ],
    ['permission refusal concerns all', 40001, 'No permission to operate campaign 102', { kind: 'all' }],
    ['token refusal concerns all', 40105, 'invalid token', { kind: 'all' }],
  ])('%s', (_name, code, message, plan) => {
    expect(planBatchFailure(ids(4), code, message)).toEqual(plan);
  });

  test('a single ID takes the answer as it is', () => {
    expect(planBatchFailure(['100'], 40002, 'Invalid parameter.')).toEqual({ kind: 'all' });
  });

  test('idsNamedIn matches whole numbers only', () => {
    expect(idsNamedIn('Campaign 1023 does not exist.', ['102', '1023'])).toEqual(['1023']);
    expect(idsNamedIn(undefined, ['1'])).toEqual([]);
  });
});
