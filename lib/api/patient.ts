import type { ApiClient, RequestPace } from './client';
import { toApiFailure } from './errors';

/**
 * A client whose reads wait and try again when TikTok's rate limit refuses them (40100 / 40133 / 40016: "retry in
 * the next second"), for reads a person is waiting on (the confirm prompt, Emergency stop's list). Writes are not
 * wrapped: status updates only ever go through the job engine, which reconciles before any resend.
 */
export function patientReads(
  base: ApiClient,
  opts: { attempts?: number; waitMs?: number; sleep?: (ms: number) => Promise<void>; pace?: RequestPace } = {},
): ApiClient {
  // Paced reads book their slots in the same limiter as the pauses: a pause confirmed right after them is not
  // refused by TikTok for requests SafePause made itself.
  const client = opts.pace && base.withPace ? base.withPace(opts.pace) : base;
  const attempts = opts.attempts ?? 4;
  const waitMs = opts.waitMs ?? 1100;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  async function retry<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (attempt >= attempts || toApiFailure(error).rateLimit === undefined) throw error;
        await sleep(waitMs * attempt);
      }
    }
  }
  return {
    ...client,
    getObjects: (...args) => retry(() => client.getObjects(...args)),
    getAllObjects: (...args) => retry(() => client.getAllObjects(...args)),
    report: (...args) => retry(() => client.report(...args)),
    advertiserInfo: (...args) => retry(() => client.advertiserInfo(...args)),
    userInfo: (...args) => retry(() => client.userInfo(...args)),
  };
}
