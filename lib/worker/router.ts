import type { Browser } from 'wxt/browser';
import type { RequestPace } from '../api/client';
import { describeError } from '../api/errors';
import { type AdvertiserCatalog, corroborate } from '../host/identity';
import type { JobLedger } from '../jobs/types';
import type { PromptConfirmResult, PromptGetResult } from '../messages/prompt';
import { type ContentMessage, type FlagsQueryResult, type PageMessage, parseMessage } from '../messages/schema';
import { classifySender, type SenderInfo } from '../messages/sender';
import type { IdentifyResult, JobsQueryResult, JobView, PromptOpenResult } from '../overlay/types';
import type { Catalog } from './catalog';
import type { ClientState } from './client';
import type { Emergency } from './emergency';
import { buildPromptView, deletePrompt, loadPrompt, newPromptId, PROMPT_TTL_MS, savePrompt } from './prompts';
import type { RulesRunner } from './rules';

export interface EnqueueInput {
  level: 'campaign' | 'adgroup' | 'ad';
  advertiserId: string;
  action: 'DISABLE' | 'ENABLE';
  actor: { kind: 'user' | 'rule' | 'emergency'; id?: string };
  objects: {
    id: string;
    name: string;
    baseline: { operationStatus: string; modifyTime: string | null };
    spendAtClick?: string | null;
    ledger?: JobLedger | null;
  }[];
}

export interface RouterDeps {
  extensionId: string;
  extensionOrigin: string;
  /** Whether the manifest lets the overlay run on this page URL. */
  isAllowedPage: (url: URL) => boolean;
  client: () => Promise<ClientState>;
  /** Paces the confirm prompt's reads in the pauses' rate limiter (see patientReads). */
  pace?: RequestPace;
  catalog: Catalog;
  enqueue: (input: EnqueueInput) => Promise<{ jobIds: string[] }>;
  queryJobs: (advertiserId: string, level: 'campaign' | 'adgroup' | 'ad', ids: string[]) => Promise<JobView[]>;
  retry: (jobId: string) => Promise<{ ok: boolean; error?: string }>;
  undo: (jobId: string) => Promise<{ ok: boolean; error?: string }>;
  notifyTab: (tabId: number, message: unknown) => void;
  emergency: Emergency;
  rules: Pick<RulesRunner, 'flagsFor' | 'previewAnswer' | 'backtestAnswer'>;
}

type Answer = Record<string, unknown> & { ok: boolean };

/**
 * Every message into the worker passes here: the sender is classified (content script of an allowed Ads
 * Manager tab, or an extension page), the payload is checked against its zod schema, and a content script may
 * only speak of the advertiser in its own tab's URL. Refusals are answered with a reason, never ignored.
 */
export function createRouter(deps: RouterDeps) {
  async function handle(raw: unknown, sender: SenderInfo): Promise<Answer> {
    const who = classifySender(sender, deps.extensionId, deps.extensionOrigin, deps.isAllowedPage);
    if (who.kind === 'refused') return { ok: false, error: `Refused: ${who.reason}.` };
    const parsed = parseMessage(raw, who.kind);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    try {
      if (parsed.from === 'content' && who.kind === 'content') {
        const message = parsed.message;
        // The sender's URL is the document's URL as loaded: Ads Manager switches between the campaign, ad group
        // and ad lists with the History API, so the level may differ, but the advertiser may not.
        if (message.advertiserId !== who.advertiserId) {
          return { ok: false, error: 'Refused: the message names another advertiser than the page it came from.' };
        }
        return await handleContent(message, who.tabId);
      }
      if (parsed.from === 'page') return await handlePage(parsed.message);
      return { ok: false, error: 'Refused: unexpected sender.' };
    } catch (error) {
      return { ok: false, error: describeError(error) };
    }
  }

  async function connected(advertiserId: string): Promise<ClientState | { ok: false; message: string }> {
    const state = await deps.client();
    if (!state.ok) return state;
    if (!state.settings.advertiserIds.includes(advertiserId)) {
      return {
        ok: false,
        message: `Advertiser ${advertiserId} is not connected in SafePause options, so no controls are shown here. Add it under Account → Advertiser IDs.`,
      };
    }
    return state;
  }

  /** A page just opened reads TikTok's status again unless it was read this recently (bounds forged refreshes). */
  const FRESH_READ_MS = 2_000;

  async function handleContent(message: ContentMessage, tabId: number): Promise<Answer> {
    switch (message.type) {
      case 'rows:identify': {
        const state = await connected(message.advertiserId);
        if (!state.ok) return { ok: false, error: state.message } satisfies IdentifyResult;
        const ids = message.rows
          .flatMap((row) => row.candidates.map((c) => c.id))
          .filter((id) => id !== message.advertiserId);
        const known = await deps.catalog.lookup(
          state.client,
          message.advertiserId,
          message.level,
          ids,
          message.fresh ? FRESH_READ_MS : undefined,
        );
        const catalog: AdvertiserCatalog = {
          advertiserId: message.advertiserId,
          [message.level]: new Map([...known].map(([id, object]) => [id, { name: object.name }])),
        };
        const results = message.rows.map((row) => {
          const verdict = corroborate(
            {
              level: message.level,
              advertiserId: message.advertiserId,
              candidates: row.candidates,
              visibleName: row.name,
            },
            catalog,
          );
          if (!verdict.ok) return { key: row.key, ok: false as const, reason: verdict.reason };
          return {
            key: row.key,
            ok: true as const,
            id: verdict.id,
            name: verdict.apiName,
            operationStatus: known.get(verdict.id)?.operationStatus ?? 'UNKNOWN',
            readAt: deps.catalog.readAt(message.advertiserId, message.level, verdict.id),
          };
        });
        return { ok: true, results } satisfies IdentifyResult;
      }
      case 'prompt:open': {
        const state = await connected(message.advertiserId);
        if (!state.ok) return { ok: false, error: state.message } satisfies PromptOpenResult;
        const id = newPromptId();
        await savePrompt({
          id,
          tabId,
          advertiserId: message.advertiserId,
          level: message.level,
          action: message.action,
          targets: message.targets,
          createdAt: Date.now(),
        });
        return { ok: true, promptId: id } satisfies PromptOpenResult;
      }
      case 'jobs:query': {
        const jobs = await deps.queryJobs(message.advertiserId, message.level, message.ids);
        return { ok: true, jobs } satisfies JobsQueryResult;
      }
      case 'flags:query': {
        const flags = await deps.rules.flagsFor(message.advertiserId, message.level, message.ids);
        return { ok: true, flags } satisfies FlagsQueryResult;
      }
    }
  }

  async function handlePage(message: PageMessage): Promise<Answer> {
    switch (message.type) {
      case 'prompt:get': {
        const record = await loadPrompt(message.promptId);
        if (!record)
          return {
            ok: false,
            error: 'This confirmation has expired. Close it and click again.',
          } satisfies PromptGetResult;
        const state = await connected(record.advertiserId);
        if (!state.ok) return { ok: false, error: state.message } satisfies PromptGetResult;
        const info = await state.client.advertiserInfo([record.advertiserId]);
        const advertiser = info.data.find((a) => a.advertiserId === record.advertiserId);
        if (!advertiser)
          return { ok: false, error: `TikTok did not return advertiser ${record.advertiserId} for this token.` };
        // SafePause's own jobs for these objects: one with a change still in flight is listed as skipped. When the
        // records cannot be read, the prompt still shows TikTok's view; confirming then refuses and says why.
        const latest = await deps
          .queryJobs(
            record.advertiserId,
            record.level,
            record.targets.map((t) => t.id),
          )
          .catch(() => []);
        const latestJobs = new Map(latest.map((job) => [job.objectId, job]));
        const { view, shown } = await buildPromptView(state.client, record, advertiser, latestJobs, deps.pace);
        await savePrompt({ ...record, shown });
        return { ok: true, view } satisfies PromptGetResult;
      }
      case 'prompt:confirm': {
        const record = await loadPrompt(message.promptId);
        if (!record?.shown || Date.now() - record.shown.at > PROMPT_TTL_MS) {
          return {
            ok: false,
            error: 'This confirmation has expired; nothing was sent. Close it and click again.',
          } satisfies PromptConfirmResult;
        }
        if (record.shown.objects.length === 0)
          return { ok: false, error: 'Nothing to send.' } satisfies PromptConfirmResult;
        // Delete first: a second confirm of the same prompt (double click, replay) finds nothing to act on.
        await deletePrompt(record.id);
        const { jobIds } = await deps.enqueue({
          level: record.level,
          advertiserId: record.advertiserId,
          action: record.action,
          actor: { kind: 'user' },
          objects: record.shown.objects.map((o) => ({
            id: o.id,
            name: o.name,
            baseline: { operationStatus: o.operationStatus, modifyTime: o.modifyTime },
            // Lifetime spend: the leak is measured lifetime to lifetime, so a day boundary does not matter.
            spendAtClick: o.ledger?.lifetimeSpendAtClick ?? null,
            ledger: o.ledger ?? null,
          })),
        });
        deps.catalog.forget(
          record.advertiserId,
          record.level,
          record.shown.objects.map((o) => o.id),
        );
        deps.notifyTab(record.tabId, { type: 'prompt:closed', promptId: record.id, outcome: 'confirmed' });
        return { ok: true, jobIds } satisfies PromptConfirmResult;
      }
      case 'prompt:cancel': {
        const record = await loadPrompt(message.promptId);
        await deletePrompt(message.promptId);
        if (record) deps.notifyTab(record.tabId, { type: 'prompt:closed', promptId: record.id, outcome: 'cancelled' });
        return { ok: true };
      }
      case 'job:retry':
        return await deps.retry(message.jobId);
      case 'job:undo':
        return await deps.undo(message.jobId);
      case 'emergency:preview':
        return { ok: true, preview: await deps.emergency.preview(message.advertiserId) };
      case 'emergency:start':
        return { ok: true, stop: await deps.emergency.start(message.previewId, message.typed) };
      case 'emergency:restore-preview':
        return { ok: true, preview: await deps.emergency.restorePreview(message.stopId) };
      case 'emergency:restore':
        return { ok: true, ...(await deps.emergency.restore(message.previewId)) };
      case 'rules:preview':
        return await deps.rules.previewAnswer(message.rule);
      case 'rules:backtest':
        return await deps.rules.backtestAnswer(message.rule, message.days, message.granularity);
    }
  }

  return { handle };
}

export type Router = ReturnType<typeof createRouter>;
export type RuntimePort = Browser.runtime.Port;
