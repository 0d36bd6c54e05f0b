import { describe, expect, test } from 'vitest';
import type { ApiClient } from '../../../lib/api/client';
import { TikTokApiError } from '../../../lib/api/errors';
import { patientReads } from '../../../lib/api/patient';

function fakeClient(failures: unknown[]): { client: ApiClient; calls: () => number } {
  let calls = 0;
  const report = async () => {
    calls += 1;
    const next = failures.shift();
    if (next) throw next;
    return {
      data: { list: [], pageInfo: { page: 1, page_size: 10, total_number: 0, total_page: 1 }, totalMetrics: null },
      requestId: 'r',
    };
  };
  return { client: { report } as unknown as ApiClient, calls: () => calls };
}

describe('patient reads', () => {
  test('a rate-limited read is waited out and tried again', async () => {
    const waits: number[] = [];
    const { client, calls } = fakeClient([
      new TikTokApiError({
        code: 40100,
        message: 'Requests made too frequently.',
        requestId: 'a',
        endpoint: 'report/integrated/get/',
        write: false,
      }),
      new TikTokApiError({
        code: 40133,
        message: 'Too many requests for this advertiser.',
        requestId: 'b',
        endpoint: 'report/integrated/get/',
        write: false,
      }),
    ]);
    const patient = patientReads(client, { sleep: async (ms) => void waits.push(ms) });
    await expect(patient.report({} as never)).resolves.toMatchObject({ requestId: 'r' });
    expect(calls()).toBe(3);
    expect(waits).toEqual([1100, 2200]);
  });
  test('other errors are not retried, and the limit of attempts holds', async () => {
    const denied = fakeClient([
      new TikTokApiError({
        code: 40001,
        message: 'No permission.',
        requestId: 'c',
        endpoint: 'report/integrated/get/',
        write: false,
      }),
    ]);
    await expect(patientReads(denied.client, { sleep: async () => {} }).report({} as never)).rejects.toThrow(
      /permission/i,
    );
    expect(denied.calls()).toBe(1);
    const limited = fakeClient(
      Array.from(
        { length: 5 },
        () =>
          new TikTokApiError({
            code: 40100,
            message: 'Too frequent.',
            requestId: 'd',
            endpoint: 'report/integrated/get/',
            write: false,
          }),
      ),
    );
    await expect(
      patientReads(limited.client, { attempts: 3, sleep: async () => {} }).report({} as never),
    ).rejects.toThrow();
    expect(limited.calls()).toBe(3);
  });
});

describe('paced patient reads', () => {
  test('with a pace, the reads go through the paced client', async () => {
    const { client, calls } = fakeClient([]);
    const paces: unknown[] = [];
    const paced = {
      ...client,
      withPace: (pace: unknown) => {
        paces.push(pace);
        return client;
      },
    } as ApiClient;
    const pace = async () => undefined;
    await patientReads(paced, { pace }).report({} as never);
    expect(paces).toEqual([pace]);
    expect(calls()).toBe(1);
    await patientReads(paced).report({} as never);
    expect(paces).toHaveLength(1);
  });
});
