/** TikTok's response envelope; application errors travel as HTTP 200 with a non-zero code. */

export class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export const MESSAGES: Record<number, string> = {
  40001: 'No permission to operate this object.',
  40002: 'Invalid parameters.',
  40100: 'Requests made too frequently.',
  40104: 'Access token is null, you should set it in http header with key Access-Token.',
  40105: 'The access token is invalid or has been revoked.',
  40133: 'Requests made too frequently at the advertiser level.',
  40202: 'Write or update entity conflict, please try again.',
  50000: 'System error, please try again later.',
  50002: 'An error occurred while processing the request, please try again later.',
};

export function defaultMessage(code: number): string {
  return MESSAGES[code] ?? `Error ${code}.`;
}

export interface Envelope {
  code: number;
  message: string;
  request_id: string;
  data: unknown;
}

/** A 30+ digit log id like TikTok's: UTC timestamp, sequence, and a mixed tail. */
export function makeRequestId(seq: number, nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/\D/g, '').slice(0, 14);
  const tail = String((Math.imul(seq, 2654435761) >>> 0) % 100_000_000).padStart(8, '0');
  return `${stamp}${String(seq).padStart(10, '0')}${tail}`;
}
