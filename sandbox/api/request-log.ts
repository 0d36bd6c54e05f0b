import { createHash } from 'node:crypto';
import type { FiredFault } from './faults';

/** Every request the emulator received, in order. Tokens are never stored, only a short hash. */
export interface LoggedRequest {
  seq: number;
  realTime: string;
  simTime: string;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  tokenPresent: boolean;
  tokenHash: string | null;
  httpStatus: number | null;
  code: number | null;
  message: string | null;
  requestId: string | null;
  fault: FiredFault | null;
  /**
   * For a successful answer listing objects: each listed ID and the operation_status the answer gave it, as sent.
   * Lets a test check a claim ("this read showed it paused") against what TikTok actually answered.
   */
  listed: Record<string, string> | null;
  /** Set for changes made by a person (Ads Manager page, control API), not through the API. */
  actor: string | null;
}

const MAX_ENTRIES = 50_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 10);
}

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;

  start(
    entry: Omit<LoggedRequest, 'seq' | 'httpStatus' | 'code' | 'message' | 'requestId' | 'fault' | 'listed'>,
  ): LoggedRequest {
    const logged: LoggedRequest = {
      ...entry,
      seq: ++this.seq,
      httpStatus: null,
      code: null,
      message: null,
      requestId: null,
      fault: null,
      listed: null,
    };
    this.entries.push(logged);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    return logged;
  }

  list(pathContains?: string, sinceSeq = 0): LoggedRequest[] {
    return this.entries.filter((e) => e.seq > sinceSeq && (!pathContains || e.path.includes(pathContains)));
  }

  clear(): void {
    this.entries = [];
  }
}
