import type { JobStateName } from '../jobs/labels';

/** What the background answers for one row: its corroborated identity, or why there is none. */
export type RowVerdict =
  | {
      key: string;
      ok: true;
      id: string;
      name: string;
      operationStatus: string;
      /** When the worker read that status from TikTok (epoch ms, the worker's clock, like JobView.updatedAt). */
      readAt?: number;
    }
  | { key: string; ok: false; reason: string };

export type IdentifyResult = { ok: true; results: RowVerdict[] } | { ok: false; error: string };

/** A job as the overlay and popup show it (no token, no request bodies). */
export interface JobView {
  jobId: string;
  objectId: string;
  level: 'campaign' | 'adgroup' | 'ad';
  advertiserId: string;
  action: 'DISABLE' | 'ENABLE';
  state: JobStateName;
  updatedAt: number;
  createdAt: number;
  /** When the job last read the object's status from TikTok (the worker's clock); absent before its first read. */
  statusReadAt?: number;
  error: string | null;
}

export type JobsQueryResult = { ok: true; jobs: JobView[] } | { ok: false; error: string };
export type PromptOpenResult = { ok: true; promptId: string } | { ok: false; error: string };

/** Messages the background pushes to the overlay over its port. */
export type OverlayPush =
  | { type: 'jobs:changed'; objectIds: string[] }
  | { type: 'prompt:closed'; promptId: string; outcome: 'confirmed' | 'cancelled' };
