import { describe, expect, test } from 'vitest';
import type { ApiClient, ReportOptions } from '../../../lib/api/client';
import { TikTokApiError } from '../../../lib/api/errors';
import type { Level } from '../../../lib/api/ids';
import type { ApiObject } from '../../../lib/api/schemas';
import type { EnqueueInput } from '../../../lib/jobs/engine';
import type { Job, JobActor, JobState } from '../../../lib/jobs/types';
import type { DaypartSchedule, RuleInput } from '../../../lib/rules/schema';
import {
  emptyRulesDocument,
  loadFlags,
  loadRulesState,
  RULES_KEY,
  type StorageAreaLike,
  toggleKey,
} from '../../../lib/rules/storage';
import { DEFAULT_SETTINGS } from '../../../lib/settings/schema';
import type { ClientState } from '../../../lib/worker/client';
import { alarmPeriodMinutes, createRulesRunner, pausedByOf, RULES_ALARM } from '../../../lib/worker/rules';
import { rule } from '../rules/helpers';

// The rules runner with fakes: an API client that answers from fixed objects and report rows (and records every
// call), a job engine that records what it is asked, a limiter that records every booking, storage in memory.

const ADV = '7000000000000000001';
/** Wednesday 2025-06-04 03:00 UTC = 12:00 in Tokyo. */
const NOW = Date.UTC(2025, 5, 4, 3, 0, 0);
const TODAY = '2025-06-04';

function memoryArea(initial: Record<string, unknown> = {}): StorageAreaLike & { data: Record<string, unknown> } {
  const data: Record<string, unknown> = structuredClone(initial);
  return {
    data,
    async get(keys) {
      const list = keys === null ? Object.keys(data) : Array.isArray(keys) ? keys : [keys];
      return Object.fromEntries(list.filter((k) => k in data).map((k) => [k, structuredClone(data[k])]));
    },
    async set(items) {
      for (const [k, v] of Object.entries(items)) data[k] = structuredClone(v);
    },
    async remove(keys) {
      for (const k of Array.isArray(keys) ? keys : [keys]) delete data[k];
    },
  };
}

function campaign(id: string, name: string, status = 'ENABLE', modifyTime = '2025-06-01 00:00:00'): ApiObject {
  return {
    level: 'campaign',
    id,
    name,
    advertiserId: ADV,
    campaignId: id,
    adgroupId: null,
    operationStatus: status,
    secondaryStatus: null,
    budget: 100,
    budgetMode: 'BUDGET_MODE_DAY',
    createTime: null,
    modifyTime,
    unrecognized: [],
  };
}

const HIGH = '1800000000000000001'; // CPA 50, spend 100
const LOW = '1800000000000000002'; // CPA 10, spend 100
const SMALL = '1800000000000000003'; // spend 5: under the guard
const OFF = '1800000000000000004'; // switched off

interface World {
  objects: ApiObject[];
  /** Today's rows by object: [spend, impressions, clicks, conversions]. */
  today: Record<string, [string, string, string, string]>;
  /** Daily rows for backtests: objectId → [date, spend, conversions][] */
  days?: Record<string, [string, string, string][]>;
  fail?: Error;
}

function fakeClient(world: World) {
  const calls: { endpoint: string; opts: unknown }[] = [];
  const page = (n: number) => ({ page: 1, page_size: 1000, total_number: n, total_page: 1 });
  const client = {
    baseUrl: 'http://127.0.0.1/open_api/v1.3/',
    async getObjects(level: Level, advertiserId: string, opts: { ids?: readonly string[] } = {}) {
      calls.push({ endpoint: `${level}/get/`, opts });
      if (world.fail) throw world.fail;
      const list = world.objects.filter((o) => o.level === level && (!opts.ids || opts.ids.includes(o.id)));
      expect(advertiserId).toBe(ADV);
      return { data: { list, pageInfo: page(list.length) }, requestId: 'r' };
    },
    async report(opts: ReportOptions) {
      calls.push({ endpoint: 'report/integrated/get/', opts });
      if (world.fail) throw world.fail;
      const ids = Object.keys(world.today).filter((id) => !opts.ids || opts.ids.includes(id));
      let list: { dimensions: Record<string, string>; metrics: Record<string, string> }[];
      if (opts.dimensions.includes('stat_time_day')) {
        list = Object.entries(world.days ?? {}).flatMap(([id, rows]) =>
          rows.map(([date, spend, conversion]) => ({
            dimensions: { campaign_id: id, stat_time_day: `${date} 00:00:00` },
            metrics: { spend, impressions: '1000', clicks: '50', conversion },
          })),
        );
      } else if (opts.lifetime) {
        list = ids.map((id) => ({ dimensions: { campaign_id: id }, metrics: { spend: '500.00' } }));
      } else {
        expect(opts.startDate).toBe(TODAY);
        list = ids.map((id) => {
          const [spend, impressions, clicks, conversion] = world.today[id] ?? ['0', '0', '0', '0'];
          return { dimensions: { campaign_id: id }, metrics: { spend, impressions, clicks, conversion } };
        });
      }
      return { data: { list, pageInfo: page(list.length), totalMetrics: null }, requestId: 'r' };
    },
    async advertiserInfo(ids: readonly string[]) {
      calls.push({ endpoint: 'advertiser/info/', opts: ids });
      return {
        data: ids.map((advertiserId) => ({
          advertiserId,
          name: 'Tokyo shop',
          currency: 'JPY',
          timezone: 'Asia/Tokyo',
          displayTimezone: null,
          status: null,
        })),
        requestId: 'r',
      };
    },
  };
  return { client: client as unknown as ApiClient, calls };
}

function job(
  objectId: string,
  action: 'DISABLE' | 'ENABLE',
  actor: JobActor,
  state: JobState,
  extra: Partial<Job> = {},
) {
  return {
    id: `job-${objectId}-${action}-${actor.kind}`,
    objectId,
    objectName: objectId,
    action,
    actor,
    state,
    createdAt: NOW - 3_600_000,
    updatedAt: NOW - 3_600_000,
    lastRead: { operationStatus: action, modifyTime: '2025-06-01 00:00:00', at: NOW - 3_500_000 },
    ...extra,
  } as Job;
}

function rig(options: {
  world: World;
  rules?: RuleInput[];
  dayparts?: DaypartSchedule[];
  jobs?: Record<string, Job[]>;
  connected?: boolean;
}) {
  const area = memoryArea({
    [RULES_KEY]: { ...emptyRulesDocument(), rules: options.rules ?? [], dayparts: options.dayparts ?? [] },
  });
  const { client, calls } = fakeClient(options.world);
  const enqueued: EnqueueInput[] = [];
  const undone: { jobIds: string[]; actor: JobActor }[] = [];
  const bookings: { advertiserId: string | null; path: string }[] = [];
  const notifications: { title: string; message: string }[] = [];
  const flagPushes: string[] = [];
  let now = NOW;
  const state: ClientState =
    options.connected === false
      ? { ok: false, reason: 'no-token', message: 'SafePause has no access token.', settings: DEFAULT_SETTINGS }
      : { ok: true, client, settings: { ...DEFAULT_SETTINGS, advertiserIds: [ADV] } };
  const runner = createRulesRunner({
    client: async () => state,
    engine: async () => ({
      async enqueue(input) {
        enqueued.push(input);
        return { jobIds: input.objects.map((o) => `new-${o.id}`), joined: [] };
      },
      async undoMany(jobIds, actor) {
        undone.push({ jobIds: [...jobIds], actor });
        return { jobIds: jobIds.map((id) => `undo-${id}`), joined: [] };
      },
      outbox: {
        async jobsForObjects(_advertiserId, _level, ids) {
          return new Map(ids.map((id) => [id, options.jobs?.[id] ?? []]));
        },
      },
    }),
    limiter: {
      reserve(advertiserId, path) {
        bookings.push({ advertiserId, path });
        return 0;
      },
      penalize: () => 0,
    },
    now: () => now,
    sleep: async () => undefined,
    area,
    notify: async (n) => {
      notifications.push(n);
    },
    onFlagsChanged: (advertiserId, level) => flagPushes.push(`${advertiserId}:${level}`),
  });
  return {
    runner,
    area,
    calls,
    enqueued,
    undone,
    bookings,
    notifications,
    flagPushes,
    later: (ms: number) => {
      now += ms;
    },
  };
}

function standardWorld(): World {
  return {
    objects: [
      campaign(HIGH, 'High CPA'),
      campaign(LOW, 'Low CPA'),
      campaign(SMALL, 'Small'),
      campaign(OFF, 'Off', 'DISABLE'),
    ],
    today: {
      [HIGH]: ['100.00', '10000', '300', '2'],
      [LOW]: ['100.00', '10000', '300', '10'],
      [SMALL]: ['5.00', '500', '10', '0'],
      [OFF]: ['0.00', '0', '0', '0'],
    },
  };
}

const pauseRule = (overrides: Partial<RuleInput> = {}): RuleInput => ({
  ...rule({
    id: 'cpa',
    name: 'High CPA',
    conditions: [{ metric: 'cpa', op: '>', value: 30, window: 'today' }],
    guards: { minSpend: 20 },
    schedule: { everyMinutes: 15, days: [0, 1, 2, 3, 4, 5, 6], hours: [0, 24] },
    ...overrides,
  }),
});

describe('a scheduled run', () => {
  test('pauses what breaches through the job engine, as the rule, and leaves the rest', async () => {
    const r = rig({ world: standardWorld(), rules: [pauseRule()] });
    await r.runner.run();
    expect(r.enqueued).toHaveLength(1);
    const input = r.enqueued[0];
    expect(input).toMatchObject({
      level: 'campaign',
      advertiserId: ADV,
      action: 'DISABLE',
      actor: { kind: 'rule', id: 'cpa' },
    });
    expect(input?.objects.map((o) => o.id)).toEqual([HIGH]);
    expect(input?.objects[0]).toMatchObject({
      name: 'High CPA',
      baseline: { operationStatus: 'ENABLE', modifyTime: '2025-06-01 00:00:00' },
      spendAtClick: '500.00',
      ledger: { currency: 'JPY', timeZone: 'Asia/Tokyo', day: TODAY, todaySpendAtClick: '100.00' },
    });
    const state = await loadRulesState(r.area);
    // The switched-off campaign spent nothing today: the guard holds it back before its status is looked at.
    expect(state.runs.cpa).toMatchObject({ ok: true, acted: 1, notEnoughData: 2 });
    expect(state.runs.cpa?.text).toBe(
      'Checked 4 campaigns: paused 1 (“High CPA”), 2 not enough data yet, 1 within the threshold.',
    );
    expect(state.lastFiredAt[`cpa:${HIGH}`]).toBe(NOW);
    expect(state.toggles[toggleKey(ADV, 'campaign', HIGH)]).toEqual([NOW]);
    expect(r.notifications).toEqual([
      {
        title: 'SafePause paused 1 campaign',
        message: 'Rule “High CPA”: “High CPA”. The popup shows each one until TikTok confirms it.',
      },
    ]);
  });

  test('every read books the shared rate limiter before it is sent', async () => {
    const r = rig({ world: standardWorld(), rules: [pauseRule()] });
    await r.runner.run();
    expect(r.calls.length).toBeGreaterThan(3);
    expect(r.bookings.map((b) => b.path)).toEqual(r.calls.map((c) => c.endpoint));
    expect(r.bookings.filter((b) => b.path === 'report/integrated/get/').every((b) => b.advertiserId === ADV)).toBe(
      true,
    );
  });

  test('stores flags for the overlay: the breach with value and threshold, and the data guard', async () => {
    const r = rig({ world: standardWorld(), rules: [pauseRule()] });
    await r.runner.run();
    expect(r.flagPushes).toEqual([`${ADV}:campaign`]);
    const flags = await r.runner.flagsFor(ADV, 'campaign', [HIGH, LOW, SMALL, OFF]);
    expect(flags.map((f) => f.objectId)).toEqual([HIGH, SMALL]);
    expect(flags[0]?.flags[0]).toMatchObject({ kind: 'breach', label: '⚑ CPA 50.00' });
    expect(flags[0]?.flags[0]?.text).toMatch(
      /^High CPA: CPA 50\.00 > target 30\.00 \(today\).*\(checked Wed 12:00 in Asia\/Tokyo\)$/,
    );
    expect(flags[1]?.flags[0]).toMatchObject({ kind: 'data', label: 'Not enough data yet' });
    expect(flags[1]?.flags[0]?.text).toContain('Not enough data yet: spend 5.00 < minimum 20.00 (today)');
    // A disabled rule's flags are not shown.
    const stored = r.area.data[RULES_KEY] as { rules: RuleInput[] };
    r.area.data[RULES_KEY] = { ...stored, rules: stored.rules.map((x) => ({ ...x, enabled: false })) };
    expect(await r.runner.flagsFor(ADV, 'campaign', [HIGH])).toEqual([]);
  });

  test('a flag rule pauses nothing, notifies once per new breach, and flags again on every check', async () => {
    const r = rig({ world: standardWorld(), rules: [pauseRule({ action: 'flag' })] });
    await r.runner.run();
    expect(r.enqueued).toEqual([]);
    expect(r.notifications.map((n) => n.title)).toEqual(['SafePause flagged 1 campaign']);
    r.later(15 * 60_000);
    await r.runner.run();
    expect(r.notifications).toHaveLength(1);
    expect((await loadRulesState(r.area)).runs.cpa?.text).toContain('flagged 1');
    expect(await loadFlags(ADV, 'campaign', r.area)).toMatchObject({ byRule: { cpa: { at: NOW + 15 * 60_000 } } });
  });

  test('runs each rule on its own schedule; an edited rule runs at once', async () => {
    const r = rig({ world: standardWorld(), rules: [pauseRule({ action: 'flag' })] });
    await r.runner.run();
    const first = r.calls.length;
    r.later(60_000);
    await r.runner.run();
    expect(r.calls.length).toBe(first);
    const stored = r.area.data[RULES_KEY] as { rules: RuleInput[] };
    r.area.data[RULES_KEY] = { ...stored, rules: [{ ...stored.rules[0], name: 'Renamed' }] };
    await r.runner.run();
    expect(r.calls.length).toBeGreaterThan(first);
  });

  test('outside its days and hours nothing is read, and the result says so', async () => {
    const r = rig({
      world: standardWorld(),
      rules: [pauseRule({ schedule: { everyMinutes: 15, days: [0, 1, 2, 3, 4, 5, 6], hours: [18, 22] } })],
    });
    await r.runner.run();
    expect(r.calls.map((c) => c.endpoint)).toEqual(['advertiser/info/']);
    expect((await loadRulesState(r.area)).runs.cpa?.text).toBe(
      'Outside its days and hours (Wed 12:00 in Asia/Tokyo): nothing checked.',
    );
  });

  test("TikTok's error is kept as the rule's result, and nothing is sent", async () => {
    const world = standardWorld();
    world.fail = new TikTokApiError({
      code: 40105,
      message: 'Access token is incorrect or has been revoked.',
      endpoint: 'campaign/get/',
      write: false,
    });
    const r = rig({ world, rules: [pauseRule()] });
    await r.runner.run();
    const run = (await loadRulesState(r.area)).runs.cpa;
    expect(run?.ok).toBe(false);
    expect(run?.text).toContain(`Advertiser ${ADV}:`);
    expect(run?.text).toContain('(40105)');
    expect(run?.text).toContain('Access token is incorrect or has been revoked.');
    expect(r.enqueued).toEqual([]);
  });

  test('without a token every due rule says why it did not run', async () => {
    const r = rig({ world: standardWorld(), rules: [pauseRule()], connected: false });
    await r.runner.run();
    expect((await loadRulesState(r.area)).runs.cpa).toMatchObject({
      ok: false,
      text: 'Not checked: SafePause has no access token.',
    });
  });
});

describe('resumes never undo a person', () => {
  const resumeRule = () =>
    pauseRule({
      id: 'back',
      name: 'Back on',
      action: 'resume',
      conditions: [{ metric: 'cpa', op: '<', value: 100, window: 'today' }],
      guards: {},
    });

  test('only what a rule paused (and nobody changed since) is resumed, by undoing that pause', async () => {
    const world = standardWorld();
    const byRule = '1800000000000000011';
    const byPerson = '1800000000000000012';
    const changedSince = '1800000000000000013';
    world.objects = [
      campaign(byRule, 'Paused by a rule', 'DISABLE'),
      campaign(byPerson, 'Paused by a person', 'DISABLE'),
      campaign(changedSince, 'Touched since', 'DISABLE', '2025-06-03 10:00:00'),
    ];
    world.today = {
      [byRule]: ['10.00', '100', '10', '1'],
      [byPerson]: ['10.00', '100', '10', '1'],
      [changedSince]: ['10.00', '100', '10', '1'],
    };
    const r = rig({
      world,
      rules: [resumeRule()],
      jobs: {
        [byRule]: [job(byRule, 'DISABLE', { kind: 'rule', id: 'cpa' }, 'settled')],
        [byPerson]: [job(byPerson, 'DISABLE', { kind: 'user' }, 'settled')],
        [changedSince]: [job(changedSince, 'DISABLE', { kind: 'rule', id: 'cpa' }, 'settled')],
      },
    });
    await r.runner.run();
    expect(r.enqueued).toEqual([]);
    expect(r.undone).toEqual([{ jobIds: [`job-${byRule}-DISABLE-rule`], actor: { kind: 'rule', id: 'back' } }]);
    expect((await loadRulesState(r.area)).runs.back?.text).toContain('resumed 1 (“Paused by a rule”)');
  });

  test('pausedByOf reads the newest effective job, and distrusts a pause changed since', () => {
    const o = { modifyTime: '2025-06-01 00:00:00' };
    expect(pausedByOf(undefined, o)).toMatchObject({ pausedBy: null, pending: false });
    expect(pausedByOf([job('1', 'DISABLE', { kind: 'emergency' }, 'confirmed')], o).pausedBy).toBe('emergency');
    expect(
      pausedByOf([job('1', 'ENABLE', { kind: 'user' }, 'settled'), job('1', 'DISABLE', { kind: 'rule' }, 'settled')], o)
        .pausedBy,
    ).toBeNull();
    expect(pausedByOf([job('1', 'DISABLE', { kind: 'rule' }, 'verifying')], o)).toMatchObject({
      pausedBy: null,
      pending: true,
    });
    expect(pausedByOf([job('1', 'DISABLE', { kind: 'rule' }, 'settled')], { modifyTime: 'later' }).pausedBy).toBeNull();
  });
});

describe('dayparting', () => {
  const schedule = (hours: [number, number]): DaypartSchedule => ({
    id: 'office',
    name: 'Office hours',
    enabled: true,
    advertiserId: ADV,
    level: 'campaign',
    objectIds: [HIGH, OFF],
    days: [0, 1, 2, 3, 4, 5, 6],
    hours,
  });

  test('outside its hours (in the advertiser’s zone) it pauses through the pipeline', async () => {
    // 12:00 in Tokyo (03:00 UTC) is outside 13–17.
    const r = rig({ world: standardWorld(), dayparts: [schedule([13, 17])] });
    await r.runner.run();
    expect(r.enqueued).toHaveLength(1);
    expect(r.enqueued[0]).toMatchObject({ action: 'DISABLE', actor: { kind: 'rule', id: 'daypart:office' } });
    expect(r.enqueued[0]?.objects.map((o) => o.id)).toEqual([HIGH]);
    expect((await loadRulesState(r.area)).runs.office?.text).toBe(
      'Outside its hours (Wed 12:00 in Asia/Tokyo): paused 1 (“High CPA”); 1 already as wanted.',
    );
    expect(r.notifications[0]?.message).toContain('Dayparting “Office hours” (outside its hours)');
  });

  test('the hours are the advertiser’s, not UTC: 02:00–05:00 UTC is outside in Tokyo', async () => {
    const r = rig({ world: standardWorld(), dayparts: [schedule([2, 5])] });
    await r.runner.run();
    expect(r.enqueued[0]?.action).toBe('DISABLE');
  });

  test('inside its hours it resumes what it paused, and not what a person paused', async () => {
    const world = standardWorld();
    world.objects = [campaign(HIGH, 'High CPA', 'DISABLE'), campaign(OFF, 'Off', 'DISABLE')];
    const r = rig({
      world,
      dayparts: [schedule([11, 14])],
      jobs: {
        [HIGH]: [job(HIGH, 'DISABLE', { kind: 'rule', id: 'daypart:office' }, 'confirmed')],
        [OFF]: [job(OFF, 'DISABLE', { kind: 'user' }, 'settled')],
      },
    });
    await r.runner.run();
    expect(r.undone).toEqual([{ jobIds: [`job-${HIGH}-DISABLE-rule`], actor: { kind: 'rule', id: 'daypart:office' } }]);
    const text = (await loadRulesState(r.area)).runs.office?.text ?? '';
    expect(text).toContain('Inside its hours (Wed 12:00 in Asia/Tokyo): resumed 1 (“High CPA”)');
    expect(text).toContain('Off: Not resumed');
    expect(text).toContain('a person paused it');
  });
});

describe('the alarm', () => {
  test('its period is the shortest interval of the enabled rules (dayparting: 5 minutes), never below 1', () => {
    expect(alarmPeriodMinutes({ rules: [], dayparts: [] })).toBeNull();
    expect(
      alarmPeriodMinutes({
        rules: [rule({ schedule: { everyMinutes: 30, days: [1], hours: [0, 24] } })],
        dayparts: [],
      }),
    ).toBe(30);
    expect(
      alarmPeriodMinutes({
        rules: [
          rule({ schedule: { everyMinutes: 30, days: [1], hours: [0, 24] } }),
          rule({ id: 'x', schedule: { everyMinutes: 1, days: [1], hours: [0, 24] }, enabled: false }),
        ],
        dayparts: [
          {
            id: 'd',
            name: 'd',
            enabled: true,
            advertiserId: ADV,
            level: 'campaign',
            objectIds: ['1'],
            days: [1],
            hours: [1, 2],
          },
        ],
      }),
    ).toBe(5);
  });

  test('is created when rules are enabled, re-created only when its period changes, and cleared when none are', async () => {
    const r = rig({ world: standardWorld(), rules: [pauseRule()] });
    const alarms = new Map<string, { periodInMinutes?: number }>();
    const calls: string[] = [];
    const runner = createRulesRunner({
      client: async () => ({ ok: false, reason: 'no-token', message: 'x', settings: DEFAULT_SETTINGS }),
      engine: async () => {
        throw new Error('unused');
      },
      limiter: { reserve: () => 0, penalize: () => 0 },
      area: r.area,
      alarms: {
        get: (async (name: string) => alarms.get(name)) as never,
        create: (async (name: string, info: { periodInMinutes?: number }) => {
          calls.push(`create ${info.periodInMinutes}`);
          alarms.set(name, info);
        }) as never,
        clear: (async (name: string) => {
          calls.push('clear');
          return alarms.delete(name);
        }) as never,
      },
    });
    expect(await runner.syncAlarm()).toBe(15);
    expect(await runner.syncAlarm()).toBe(15);
    expect(alarms.has(RULES_ALARM)).toBe(true);
    r.area.data[RULES_KEY] = emptyRulesDocument();
    expect(await runner.syncAlarm()).toBeNull();
    expect(calls).toEqual(['create 15', 'clear']);
  });
});

describe('preview and backtest', () => {
  test('preview says what the rule would do now and sends nothing', async () => {
    const r = rig({ world: standardWorld() });
    const answer = await r.runner.previewAnswer(rule(pauseRule()));
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    const [advertiser] = answer.preview.advertisers;
    expect(advertiser?.counts.act).toBe(1);
    expect(advertiser?.items[0]).toMatchObject({ id: HIGH, name: 'High CPA', decision: 'act' });
    expect(advertiser?.items[0]?.reason).toBe('CPA 50.00 > target 30.00 (today): pause');
    expect(advertiser?.insideSchedule).toBe(true);
    expect(r.enqueued).toEqual([]);
    expect(r.notifications).toEqual([]);
  });

  test('backtest replays daily reports: firing times and the spend a pause would have saved', async () => {
    const world = standardWorld();
    world.objects = [campaign(HIGH, 'High CPA')];
    world.today = { [HIGH]: ['0', '0', '0', '0'] };
    world.days = {
      [HIGH]: [
        ['2025-05-30', '100.00', '10'],
        ['2025-05-31', '100.00', '1'],
        ['2025-06-01', '80.00', '4'],
      ],
    };
    const r = rig({ world });
    const lifetime = rule(pauseRule({ conditions: [{ metric: 'cpa', op: '>', value: 30, window: 'lifetime' }] }));
    const answer = await r.runner.backtestAnswer(lifetime, 7, 'day');
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    const [advertiser] = answer.backtest.advertisers;
    // Lifetime CPA: 10.00, then 200/11 = 18.18, then 280/15 = 18.67: never above 30.
    expect(advertiser?.firedCount).toBe(0);
    const daily = rule(pauseRule({ conditions: [{ metric: 'cpa', op: '>', value: 30, window: 'yesterday' }] }));
    const again = await r.runner.backtestAnswer(daily, 7, 'day');
    if (!again.ok) throw new Error(again.error);
    // Yesterday's CPA (05-31: 100.00) breaches when seen at the end of 06-01: it fires then; no spend came after.
    expect(again.backtest.advertisers[0]?.firings.map((f) => f.time)).toEqual(['2025-06-02 00:00:00']);
  });

  test('a rule naming an advertiser that is not connected is refused in words', async () => {
    const r = rig({ world: standardWorld() });
    const answer = await r.runner.previewAnswer(rule(pauseRule({ advertiserIds: ['7999999999999999999'] })));
    expect(answer).toEqual({
      ok: false,
      error:
        'Advertiser 7999999999999999999 is not connected in SafePause options (Account), so the rule cannot be tried on it.',
    });
  });
});
