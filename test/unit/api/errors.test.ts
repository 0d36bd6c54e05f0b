import { describe, expect, test } from 'vitest';
import {
  BadResponseError,
  classifyTikTokCode,
  describeError,
  HttpError,
  InvalidRequestError,
  MissingTokenError,
  NetworkError,
  rateLimitWindowOf,
  redactSecret,
  TIKTOK_CODES,
  TikTokApiError,
  TimeoutError,
  toApiFailure,
} from '../../../lib/api/errors';

const RETRYABLE = [40100, 40016, 40133, 40132, 40200, 40201, 40202, 40700, 50000, 50002, 51305, 60001];
const NEVER = [
  20001, 40000, 40001, 40002, 40006, 40007, 40008, 40009, 40011, 40014, 40050, 40101, 40102, 40103, 40104, 40105, 40106,
  40107, 40110, 40113, 40118, 40119, 40300, 40301, 41000,
];

describe('classification of every code in the spec table', () => {
  test('the table holds exactly the listed codes', () => {
    expect(
      Object.keys(TIKTOK_CODES)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual([...RETRYABLE, ...NEVER].sort((a, b) => a - b));
  });

  test.each(RETRYABLE)('%i is retryable and recognised', (code) => {
    expect(classifyTikTokCode(code)).toMatchObject({ retry: 'retryable', unknown: false });
  });

  test.each(NEVER)('%i is never retried and recognised', (code) => {
    expect(classifyTikTokCode(code)).toMatchObject({ retry: 'never', unknown: false });
  });

  test.each([
    [40100, 'app'],
    [40016, 'app'],
    [40133, 'advertiser'],
    [40132, undefined],
    [50000, undefined],
    [40105, undefined],
  ])('%i rate limit scope is %s', (code, scope) => {
    expect(classifyTikTokCode(code).rateLimit).toBe(scope);
  });

  test.each([12345, 40199, 99999, -1])('unknown code %i is never retried and flagged unknown', (code) => {
    expect(classifyTikTokCode(code)).toEqual({ retry: 'never', unknown: true, rateLimit: undefined });
    const error = new TikTokApiError({ code, message: 'x', endpoint: 'campaign/get/', write: false });
    expect(error.unknown).toBe(true);
    expect(error.userMessage).toContain('unrecognised code');
    expect(error.toFailure().unknownCode).toBe(true);
  });
});

describe('TikTokApiError', () => {
  test('40105 says what happened and what to do', () => {
    const error = new TikTokApiError({
      code: 40105,
      message: 'Access token is incorrect or has been revoked.',
      requestId: '20240101',
      endpoint: 'campaign/get/',
      write: false,
    });
    expect(error.userMessage).toContain(
      'TikTok rejected the access token (40105). Open SafePause options and enter a valid long-term token.',
    );
    expect(error.userMessage).toContain('Access token is incorrect or has been revoked.');
    expect(error).toMatchObject({
      code: 40105,
      message: 'Access token is incorrect or has been revoked.',
      requestId: '20240101',
      endpoint: 'campaign/get/',
      retry: 'never',
      outcome: 'not-applied',
      unknown: false,
      rateLimit: undefined,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('TikTokApiError');
  });

  test.each([
    [50000, true, 'unknown'],
    [50002, true, 'unknown'],
    [51305, true, 'unknown'],
    [20001, true, 'unknown'],
    [50000, false, 'not-applied'],
    [40100, true, 'not-applied'],
    [40202, true, 'not-applied'],
    [40002, true, 'not-applied'],
  ])('code %i (write %s) has outcome %s', (code, write, outcome) => {
    expect(new TikTokApiError({ code, message: '', endpoint: 'campaign/status/update/', write }).outcome).toBe(outcome);
  });

  test.each([
    ['Requests made too frequently. QPM exceeded.', 'minute'],
    ["Advertiser (1)'s QPS (12) reaches QPS limit 10 for current path", 'second'],
    ['QPD limit reached', 'day'],
    ['Due to too many requests, requests from App [1] are temporarily restricted.', undefined],
  ])('rate-limit window of %j is %s', (message, window) => {
    expect(rateLimitWindowOf(message)).toBe(window);
    const error = new TikTokApiError({ code: 40100, message, endpoint: 'campaign/get/', write: false });
    expect(error.rateLimitWindow).toBe(window);
  });

  test('every recognised code has a user message with the code and a next step', () => {
    for (const code of Object.keys(TIKTOK_CODES).map(Number)) {
      const message = new TikTokApiError({ code, message: '', endpoint: 'campaign/get/', write: false }).userMessage;
      expect(message).toContain(`(${code})`);
      expect(message.split('. ').length).toBeGreaterThan(1);
    }
  });
});

describe('transport and response errors', () => {
  test.each([
    [500, true, 'retryable', 'unknown'],
    [503, false, 'retryable', 'not-applied'],
    [429, true, 'retryable', 'not-applied'],
    [404, true, 'never', 'not-applied'],
    [405, false, 'never', 'not-applied'],
    [400, true, 'never', 'not-applied'],
  ] as const)('HTTP %i (write %s): %s, outcome %s', (status, write, retry, outcome) => {
    const error = new HttpError({ status, endpoint: 'campaign/status/update/', write });
    expect(error.retry).toBe(retry);
    expect(error.outcome).toBe(outcome);
    expect(error.userMessage).toContain(`HTTP ${status}`);
    expect(error.toFailure().httpStatus).toBe(status);
  });

  test('HTTP 404 points at the environment setting', () => {
    expect(new HttpError({ status: 404, endpoint: 'campaign/get/', write: false }).userMessage).toContain(
      'check the environment',
    );
  });

  test.each([
    ['not-sent', false],
    ['unknown', true],
  ] as const)('NetworkError keeps outcome %s', (outcome, write) => {
    const error = new NetworkError({ endpoint: 'campaign/status/update/', outcome, detail: 'fetch failed', write });
    expect(error.outcome).toBe(outcome);
    expect(error.retry).toBe('retryable');
  });

  test('TimeoutError on a write is unknown and says the status is read back', () => {
    const error = new TimeoutError({ endpoint: 'campaign/status/update/', timeoutMs: 15000, write: true });
    expect(error.outcome).toBe('unknown');
    expect(error.userMessage).toContain('reads the status back');
  });

  test.each([
    [true, true, 'unknown', 'retryable'],
    [false, true, 'not-applied', 'retryable'],
    [false, false, 'not-applied', 'never'],
  ])('BadResponseError write=%s malformed=%s', (write, malformed, outcome, retry) => {
    const error = new BadResponseError({ endpoint: 'campaign/get/', write, problem: 'x', malformed });
    expect(error.outcome).toBe(outcome);
    expect(error.retry).toBe(retry);
  });

  test('MissingTokenError and InvalidRequestError mean nothing was sent', () => {
    expect(new MissingTokenError({ reason: 'missing' }).outcome).toBe('not-sent');
    expect(new InvalidRequestError('too many IDs').outcome).toBe('not-sent');
  });

  test('toApiFailure and describeError handle foreign values', () => {
    expect(toApiFailure(new Error('boom'))).toMatchObject({ kind: 'internal', retry: 'never', outcome: 'unknown' });
    expect(describeError('weird')).toContain('unexpected error');
    expect(describeError(new MissingTokenError({ reason: 'missing' }))).toContain('Open SafePause options');
  });

  test('JSON of an error is its failure record', () => {
    const error = new TikTokApiError({ code: 40133, message: 'slow down', endpoint: 'campaign/get/', write: false });
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      name: 'TikTokApiError',
      kind: 'tiktok',
      code: 40133,
      retry: 'retryable',
      rateLimit: 'advertiser',
      tiktokMessage: 'slow down',
    });
  });

  test.each([
    ['token abc123 is bad', 'abc123', 'token [redacted] is bad'],
    ['abc123abc123', 'abc123', '[redacted][redacted]'],
    ['nothing here', 'abc123', 'nothing here'],
    ['text', '', 'text'],
  ])('redactSecret(%j)', (text, secret, expected) => {
    expect(redactSecret(text, secret)).toBe(expected);
  });
});
