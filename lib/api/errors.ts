/**
 * Typed errors of the Marketing API client. Each one says whether a retry is safe (`retry`), what is
 * known about a write's effect (`outcome`), and, in plain words, what happened and what to do next
 * (`userMessage`). None of them ever holds the access token: text that comes from outside (TikTok's
 * messages, runtime error texts) is redacted by the client before it reaches an error.
 */
import type { EndpointPath } from './endpoints';

export type RetryClass = 'retryable' | 'never';

/**
 * What is known about the effect of a request:
 * - `not-sent`: it never left (no token, offline, connection refused);
 * - `not-applied`: TikTok answered and rejected it;
 * - `unknown`: it may have reached TikTok and may have been applied (timeout, network error after
 *   sending, 5xx, unreadable answer). A write with this outcome must be reconciled by a read.
 */
export type Outcome = 'not-sent' | 'not-applied' | 'unknown';

export type RateLimitScope = 'app' | 'advertiser';
/** Which window a rate limit is about, when TikTok's message says so. */
export type RateLimitWindow = 'second' | 'minute' | 'day';

export type ApiErrorKind =
  | 'tiktok'
  | 'http'
  | 'network'
  | 'timeout'
  | 'bad-response'
  | 'missing-token'
  | 'invalid-request'
  | 'internal';

/**
 * A plain, serialisable description of a failure, for job records and audit rows. `message` is the
 * user-facing text.
 */
export interface ApiFailure {
  kind: ApiErrorKind;
  retry: RetryClass;
  outcome: Outcome;
  message: string;
  endpoint?: EndpointPath;
  code?: number;
  httpStatus?: number;
  tiktokMessage?: string;
  requestId?: string;
  rateLimit?: RateLimitScope;
  rateLimitWindow?: RateLimitWindow;
  /** The TikTok code is not in SafePause's table ("unrecognised code"). */
  unknownCode?: boolean;
}

export abstract class ApiError extends Error {
  abstract readonly kind: ApiErrorKind;
  abstract readonly retry: RetryClass;
  abstract readonly outcome: Outcome;
  abstract readonly userMessage: string;
  readonly endpoint: EndpointPath | undefined;

  constructor(message: string, endpoint: EndpointPath | undefined) {
    super(message);
    this.endpoint = endpoint;
  }

  toFailure(): ApiFailure {
    const failure: ApiFailure = {
      kind: this.kind,
      retry: this.retry,
      outcome: this.outcome,
      message: this.userMessage,
    };
    if (this.endpoint !== undefined) failure.endpoint = this.endpoint;
    return failure;
  }

  toJSON(): ApiFailure & { name: string; errorMessage: string } {
    return { name: this.name, errorMessage: this.message, ...this.toFailure() };
  }
}

// ---------------------------------------------------------------------------------------------
// TikTok return codes (HTTP 200 with code != 0)

interface CodeInfo {
  readonly retry: RetryClass;
  /** What happened, in plain words, without the code. */
  readonly summary: string;
  /** What to do next. */
  readonly next: string;
  readonly rateLimit?: RateLimitScope;
  /** TikTok's side failed mid-way: a write may or may not have been applied. */
  readonly writeOutcomeUnknown?: true;
}

const SUPPORT = 'This looks like a SafePause problem: send a support report from the popup.';
const NEW_TOKEN = 'Open SafePause options and enter a valid long-term token.';
const RETRYING = 'SafePause will try again automatically.';

/** Every return code listed in the spec's table, classified. */
export const TIKTOK_CODES: Readonly<Record<number, CodeInfo>> = {
  20001: {
    retry: 'never',
    summary: 'TikTok applied the request only in part',
    next: 'SafePause reads the status back to see what changed.',
    writeOutcomeUnknown: true,
  },
  40000: { retry: 'never', summary: 'TikTok rejected the request as invalid', next: SUPPORT },
  40001: {
    retry: 'never',
    summary: 'TikTok says this access token has no permission for this advertiser or object',
    next: "Check the token's scopes and that it covers this advertiser, then enter a new token in SafePause options.",
  },
  40002: {
    retry: 'never',
    summary: 'TikTok rejected a parameter of the request',
    next: "Read TikTok's message below; if the object was deleted, reload Ads Manager.",
  },
  40006: { retry: 'never', summary: 'TikTok says the API version does not match the parameters', next: SUPPORT },
  40007: {
    retry: 'never',
    summary: 'TikTok says the object does not exist',
    next: 'It may have been deleted: reload Ads Manager and check it there.',
  },
  40008: {
    retry: 'never',
    summary: 'TikTok does not support this endpoint for this account',
    next: 'Sandbox accounts support only some endpoints: check the environment in SafePause options.',
  },
  40009: {
    retry: 'never',
    summary: 'TikTok does not support a parameter of this request for this account',
    next: 'Sandbox accounts support only some parameters: check the environment in SafePause options.',
  },
  40011: { retry: 'never', summary: 'TikTok says the request holds too many IDs', next: SUPPORT },
  40014: {
    retry: 'never',
    summary: 'TikTok does not support this feature for this account',
    next: 'Sandbox accounts support only some features: check the environment in SafePause options.',
  },
  40016: {
    retry: 'retryable',
    summary: 'TikTok is limiting how often this app may call it',
    next: RETRYING,
    rateLimit: 'app',
  },
  40050: {
    retry: 'never',
    summary: 'TikTok rejected the request as a duplicate',
    next: 'SafePause reads the status back; check the object in Ads Manager.',
  },
  40100: {
    retry: 'retryable',
    summary: 'TikTok is limiting how often this app may call it',
    next: RETRYING,
    rateLimit: 'app',
  },
  40101: {
    retry: 'never',
    summary: 'TikTok rejected the app credentials',
    next: 'Authorise the app again and enter the new token in SafePause options.',
  },
  40102: {
    retry: 'never',
    summary: 'TikTok says the access token has expired',
    next: 'Authorise again and enter the new long-term token in SafePause options.',
  },
  40103: {
    retry: 'never',
    summary: 'TikTok says the refresh token has expired',
    next: 'Authorise again and enter the new long-term token in SafePause options.',
  },
  40104: {
    retry: 'never',
    summary: 'TikTok received no access token',
    next: 'Open SafePause options and enter your long-term token.',
  },
  40105: { retry: 'never', summary: 'TikTok rejected the access token', next: NEW_TOKEN },
  40106: {
    retry: 'never',
    summary: 'TikTok says the access token does not belong to a user of this advertiser',
    next: 'Enter a token authorised for this advertiser in SafePause options.',
  },
  40107: {
    retry: 'never',
    summary: 'TikTok says the refresh token is invalid',
    next: 'Authorise again and enter the new long-term token in SafePause options.',
  },
  40110: {
    retry: 'never',
    summary: 'TikTok says the authorisation code is invalid, used or expired',
    next: 'Start the authorisation again.',
  },
  40113: {
    retry: 'never',
    summary: 'TikTok says the developer app is blocked or does not exist',
    next: "Check the app's state in the TikTok developer portal.",
  },
  40118: {
    retry: 'never',
    summary: 'TikTok says the app or advertiser is not on the allowlist',
    next: 'Ask TikTok to allowlist the app for this advertiser.',
  },
  40119: {
    retry: 'never',
    summary: 'TikTok says the developer and the advertiser are not in the same company',
    next: 'Use a token from an app of the same business as the advertiser.',
  },
  40132: {
    retry: 'retryable',
    summary: 'TikTok is limiting requests for this value',
    next: RETRYING,
  },
  40133: {
    retry: 'retryable',
    summary: 'TikTok is limiting how often this advertiser may be called',
    next: RETRYING,
    rateLimit: 'advertiser',
  },
  40200: { retry: 'retryable', summary: 'TikTok reported a task error', next: RETRYING },
  40201: { retry: 'retryable', summary: 'TikTok says the task is not ready yet', next: RETRYING },
  40202: {
    retry: 'retryable',
    summary: 'TikTok reported a conflicting change to the same object',
    next: RETRYING,
  },
  40300: {
    retry: 'never',
    summary: 'TikTok says the advertiser does not exist or was deleted',
    next: 'Check the advertiser ID in SafePause options.',
  },
  40301: {
    retry: 'never',
    summary: 'TikTok cannot match the advertiser',
    next: 'Check the advertiser ID in SafePause options.',
  },
  40700: { retry: 'retryable', summary: 'TikTok reported an internal validation error', next: RETRYING },
  41000: {
    retry: 'never',
    summary: "TikTok refuses requests from this network's country",
    next: 'Use a network in a supported country.',
  },
  50000: { retry: 'retryable', summary: 'TikTok reported a system error', next: RETRYING, writeOutcomeUnknown: true },
  50002: {
    retry: 'retryable',
    summary: 'TikTok failed to process the request',
    next: RETRYING,
    writeOutcomeUnknown: true,
  },
  51305: {
    retry: 'retryable',
    summary: 'TikTok reported an internal service error',
    next: RETRYING,
    writeOutcomeUnknown: true,
  },
  60001: { retry: 'retryable', summary: 'TikTok is in maintenance', next: RETRYING },
};

export function classifyTikTokCode(code: number): {
  retry: RetryClass;
  unknown: boolean;
  rateLimit: RateLimitScope | undefined;
} {
  const info = TIKTOK_CODES[code];
  if (!info) return { retry: 'never', unknown: true, rateLimit: undefined };
  return { retry: info.retry, unknown: false, rateLimit: info.rateLimit };
}

/** Reads the limit window out of a rate-limit message ("QPS", "QPM", "QPD"), when it says. */
export function rateLimitWindowOf(message: string): RateLimitWindow | undefined {
  if (/\bQPD\b|per day|daily/i.test(message)) return 'day';
  if (/\bQPM\b|per minute/i.test(message)) return 'minute';
  if (/\bQPS\b|per second/i.test(message)) return 'second';
  return undefined;
}

export class TikTokApiError extends ApiError {
  override readonly name = 'TikTokApiError';
  readonly kind = 'tiktok' as const;
  readonly code: number;
  readonly requestId: string | undefined;
  readonly retry: RetryClass;
  readonly outcome: Outcome;
  /** True when the code is not in SafePause's table: treated as `never`, shown as unrecognised. */
  readonly unknown: boolean;
  readonly rateLimit: RateLimitScope | undefined;
  readonly rateLimitWindow: RateLimitWindow | undefined;
  readonly userMessage: string;

  /** `message` is TikTok's own message (already redacted by the client). */
  constructor(args: { code: number; message: string; requestId?: string; endpoint: EndpointPath; write: boolean }) {
    super(args.message, args.endpoint);
    this.code = args.code;
    this.requestId = args.requestId;
    const info = TIKTOK_CODES[args.code];
    const { retry, unknown, rateLimit } = classifyTikTokCode(args.code);
    this.retry = retry;
    this.unknown = unknown;
    this.rateLimit = rateLimit;
    this.rateLimitWindow = rateLimit ? rateLimitWindowOf(args.message) : undefined;
    this.outcome = args.write && info?.writeOutcomeUnknown ? 'unknown' : 'not-applied';
    const said = args.message ? ` TikTok said: "${args.message}"` : '';
    this.userMessage = info
      ? `${info.summary} (${args.code}). ${info.next}${said}`
      : `TikTok answered with an unrecognised code (${args.code}). SafePause does not retry it; check the object in Ads Manager.${said}`;
  }

  override toFailure(): ApiFailure {
    const failure = super.toFailure();
    failure.code = this.code;
    failure.tiktokMessage = this.message;
    if (this.requestId !== undefined) failure.requestId = this.requestId;
    if (this.rateLimit !== undefined) failure.rateLimit = this.rateLimit;
    if (this.rateLimitWindow !== undefined) failure.rateLimitWindow = this.rateLimitWindow;
    if (this.unknown) failure.unknownCode = true;
    return failure;
  }
}

// ---------------------------------------------------------------------------------------------
// Transport and response failures

export class HttpError extends ApiError {
  override readonly name = 'HttpError';
  readonly kind = 'http' as const;
  readonly status: number;
  readonly retry: RetryClass;
  readonly outcome: Outcome;
  readonly rateLimit: RateLimitScope | undefined;
  readonly userMessage: string;

  constructor(args: { status: number; endpoint: EndpointPath; write: boolean }) {
    super(`HTTP ${args.status} from ${args.endpoint}`, args.endpoint);
    this.status = args.status;
    const serverFault = args.status >= 500;
    this.retry = serverFault || args.status === 429 || args.status === 408 ? 'retryable' : 'never';
    this.rateLimit = args.status === 429 ? 'app' : undefined;
    // 4xx: TikTok's API logic was never reached. 5xx: it may have been, mid-way.
    this.outcome = serverFault && args.write ? 'unknown' : 'not-applied';
    let next: string;
    if (this.retry === 'retryable') next = RETRYING;
    else if (args.status === 404 || args.status === 405) {
      next = 'The API address looks wrong: check the environment in SafePause options.';
    } else next = SUPPORT;
    this.userMessage = `TikTok's server answered HTTP ${args.status} for ${args.endpoint}. ${next}`;
  }

  override toFailure(): ApiFailure {
    const failure = super.toFailure();
    failure.httpStatus = this.status;
    if (this.rateLimit !== undefined) failure.rateLimit = this.rateLimit;
    return failure;
  }
}

export type TransportOutcome = 'not-sent' | 'unknown';

function transportNext(outcome: TransportOutcome, write: boolean): string {
  if (outcome === 'unknown' && write) {
    return 'The change may or may not have been applied: SafePause reads the status back before sending again.';
  }
  return RETRYING;
}

export class NetworkError extends ApiError {
  override readonly name = 'NetworkError';
  readonly kind = 'network' as const;
  readonly retry = 'retryable' as const;
  readonly outcome: TransportOutcome;
  /** The runtime's own description, redacted. */
  readonly detail: string;
  readonly userMessage: string;

  constructor(args: { endpoint: EndpointPath; outcome: TransportOutcome; detail: string; write: boolean }) {
    super(`Network error on ${args.endpoint}: ${args.detail}`, args.endpoint);
    this.outcome = args.outcome;
    this.detail = args.detail;
    this.userMessage = `SafePause could not reach TikTok (network error on ${args.endpoint}). ${transportNext(
      args.outcome,
      args.write,
    )} Check the internet connection.`;
  }
}

export class TimeoutError extends ApiError {
  override readonly name = 'TimeoutError';
  readonly kind = 'timeout' as const;
  readonly retry = 'retryable' as const;
  readonly outcome: TransportOutcome;
  readonly timeoutMs: number;
  readonly userMessage: string;

  constructor(args: { endpoint: EndpointPath; timeoutMs: number; write: boolean; outcome?: TransportOutcome }) {
    super(`No answer from ${args.endpoint} within ${args.timeoutMs} ms`, args.endpoint);
    this.timeoutMs = args.timeoutMs;
    this.outcome = args.outcome ?? 'unknown';
    this.userMessage = `TikTok did not answer within ${Math.round(args.timeoutMs / 1000)} s (${args.endpoint}). ${transportNext(
      this.outcome,
      args.write,
    )}`;
  }
}

export class BadResponseError extends ApiError {
  override readonly name = 'BadResponseError';
  readonly kind = 'bad-response' as const;
  readonly retry: RetryClass;
  readonly outcome: Outcome;
  /** The field path at fault (`data.list[0].campaign_id`), or undefined when the body is not JSON. */
  readonly field: string | undefined;
  readonly userMessage: string;

  constructor(args: { endpoint: EndpointPath; write: boolean; problem: string; field?: string; malformed?: boolean }) {
    super(`Bad response from ${args.endpoint}: ${args.problem}`, args.endpoint);
    this.field = args.field;
    // A body that is not JSON may be a transient proxy page; a body of the wrong shape will not fix itself.
    this.retry = args.malformed ? 'retryable' : 'never';
    this.outcome = args.write ? 'unknown' : 'not-applied';
    const next = args.write
      ? 'The change may or may not have been applied: SafePause reads the status back.'
      : args.malformed
        ? RETRYING
        : SUPPORT;
    this.userMessage = `TikTok sent an answer SafePause cannot read (${args.endpoint}: ${args.problem}). ${next}`;
  }
}

export class MissingTokenError extends ApiError {
  override readonly name = 'MissingTokenError';
  readonly kind = 'missing-token' as const;
  readonly retry = 'never' as const;
  readonly outcome = 'not-sent' as const;
  readonly reason: 'missing' | 'malformed';
  readonly userMessage: string;

  constructor(args: { endpoint?: EndpointPath; reason: 'missing' | 'malformed' }) {
    super(
      args.reason === 'missing'
        ? 'No access token is available'
        : 'The access token has characters that cannot be sent',
      args.endpoint,
    );
    this.reason = args.reason;
    this.userMessage =
      args.reason === 'missing'
        ? 'No TikTok access token is available, so nothing was sent. Open SafePause options and enter your long-term token.'
        : 'The saved TikTok access token contains spaces or characters that cannot be sent, so nothing was sent. Open SafePause options and paste the token again.';
  }
}

/** A request SafePause refuses to build (a caller bug): nothing was sent. */
export class InvalidRequestError extends ApiError {
  override readonly name = 'InvalidRequestError';
  readonly kind = 'invalid-request' as const;
  readonly retry = 'never' as const;
  readonly outcome = 'not-sent' as const;
  readonly userMessage: string;

  constructor(message: string, endpoint?: EndpointPath) {
    super(message, endpoint);
    this.userMessage = `SafePause refused to send an invalid request (${message}). Nothing was sent. ${SUPPORT}`;
  }
}

export class InvalidBaseUrlError extends Error {
  override readonly name = 'InvalidBaseUrlError';
}

/** Describes any thrown value as a plain failure record. Unexpected errors count as unknown outcome. */
export function toApiFailure(error: unknown): ApiFailure {
  if (error instanceof ApiError) return error.toFailure();
  return {
    kind: 'internal',
    retry: 'never',
    outcome: 'unknown',
    message:
      'SafePause hit an unexpected error; the change may or may not have been applied. Check the object in Ads Manager and send a support report.',
  };
}

/** Removes every occurrence of `secret` from `text`. */
export function redactSecret(text: string, secret: string | null | undefined): string {
  if (!secret) return text;
  return text.split(secret).join('[redacted]');
}

/** The user-facing text for any thrown value. */
export function describeError(error: unknown): string {
  return toApiFailure(error).message;
}
