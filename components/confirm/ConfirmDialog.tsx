import { useEffect, useRef } from 'preact/hooks';
import type { PromptView } from '../../lib/messages/prompt';
import { LEVEL_WORDS } from '../overlay/Overlay';

const STATUS_WORDS: Record<string, string> = {
  ENABLE: 'On (delivering if budget and schedule allow)',
  DISABLE: 'Off (paused)',
  FROZEN: 'Frozen',
};

export interface ConfirmDialogProps {
  view: PromptView;
  busy: boolean;
  error: string | null;
  /** Called with whether the activating event was trusted (a real person, not a script). */
  onConfirm: (trusted: boolean) => void;
  onCancel: (trusted: boolean) => void;
}

function money(amount: string | null, currency: string): string {
  return amount === null ? 'not reported' : `${amount} ${currency}`;
}

function budgetText(budget: string | null, mode: string | null, currency: string): string {
  if (mode === 'BUDGET_MODE_INFINITE' || budget === null) return 'No limit';
  const kind =
    mode === 'BUDGET_MODE_DAY'
      ? 'daily'
      : mode === 'BUDGET_MODE_TOTAL'
        ? 'lifetime'
        : mode === 'BUDGET_MODE_DYNAMIC_DAILY_BUDGET'
          ? 'average daily'
          : (mode ?? '');
  return `${budget} ${currency} ${kind}`.trim();
}

function plural(count: number, word: string): string {
  return `${count} ${count === 1 ? word : word === 'ad group' ? 'ad groups' : `${word}s`}`;
}

/** The budgets of what will be sent, by kind, in one line (daily sums first: what resuming may spend per day). */
function budgetsText(budgets: NonNullable<PromptView['totals']['budgets']>, currency: string): string | null {
  const parts: string[] = [];
  if (budgets.daily !== null) parts.push(`${budgets.daily} ${currency} a day (${budgets.dailyCount} daily)`);
  if (budgets.lifetime !== null) parts.push(`${budgets.lifetime} ${currency} lifetime (${budgets.lifetimeCount})`);
  if (budgets.unlimited > 0) parts.push(`${budgets.unlimited} without a limit`);
  return parts.length > 0 ? parts.join(' · ') : null;
}

export function ConfirmDialog({ view, busy, error, onConfirm, onCancel }: ConfirmDialogProps) {
  const confirmRef = useRef<HTMLButtonElement>(null);
  const word = LEVEL_WORDS[view.level];
  const verb = view.action === 'DISABLE' ? 'Pause' : 'Resume';
  const count = view.objects.length;
  const single = count === 1;
  const noun = single ? word : `${count} ${word === 'ad group' ? 'ad groups' : `${word}s`}`;
  const title = `${verb} ${noun}?`;
  const actionable = view.totals.actionable;
  const skipped = count - actionable;
  // Skipped objects first: the person sees what will not be sent before confirming the rest.
  const objects = [...view.objects].sort((a, b) => Number(b.problem !== null) - Number(a.problem !== null));
  const budgets = view.totals.budgets ? budgetsText(view.totals.budgets, view.advertiser.currency) : null;
  const confirmLabel = single ? `${verb} ${word}` : `${verb} ${plural(actionable, word)}`;

  useEffect(() => {
    confirmRef.current?.focus();
  }, []);

  return (
    <div
      class="sp-dialog"
      role="dialog"
      aria-modal="true"
      aria-labelledby="sp-dialog-title"
      aria-describedby="sp-dialog-what"
    >
      <h1 id="sp-dialog-title">{title}</h1>
      <p class="sp-hint">
        Advertiser {view.advertiser.name} ({view.advertiser.id}) · read from TikTok at{' '}
        {new Date(view.readAt).toLocaleTimeString()}
      </p>
      <section class="sp-objects" aria-label={`${word} details`}>
        {objects.map((object) => (
          <dl key={object.id} class="sp-object" data-problem={object.problem ? 'yes' : 'no'}>
            <dt>Name</dt>
            <dd class="sp-name">{object.name}</dd>
            <dt>ID</dt>
            <dd>
              <code>{object.id}</code>
            </dd>
            <dt>Status now</dt>
            <dd>{STATUS_WORDS[object.operationStatus] ?? object.operationStatus}</dd>
            <dt>Budget</dt>
            <dd>{budgetText(object.budget, object.budgetMode, view.advertiser.currency)}</dd>
            <dt>Spend today</dt>
            <dd>{money(object.todaySpend, view.advertiser.currency)}</dd>
            {object.effect && (
              <>
                <dt>Also</dt>
                <dd class="sp-effect">{object.effect}</dd>
              </>
            )}
            {object.problem && (
              <>
                <dt>{single ? 'Note' : 'Skipped'}</dt>
                <dd class="sp-problem">{object.problem}</dd>
              </>
            )}
          </dl>
        ))}
      </section>
      {!single && (
        <div class="sp-totals">
          <p>
            <strong>{actionable}</strong> to {verb.toLowerCase()}
            {skipped > 0 && (
              <>
                {' · '}
                <strong class="sp-problem">{skipped} skipped</strong> (not sent; the reason is on each, listed first)
              </>
            )}
          </p>
          <p>
            Total spend today{skipped > 0 ? ` of the ${plural(actionable, word)} to ${verb.toLowerCase()}` : ''}:{' '}
            <strong>{money(view.totals.todaySpend, view.advertiser.currency)}</strong>
          </p>
          {budgets && actionable > 0 && (
            <p>
              Budgets: <strong>{budgets}</strong>
            </p>
          )}
        </div>
      )}
      <p id="sp-dialog-what">
        {view.action === 'DISABLE'
          ? `Pausing stops delivery of ${single ? `this ${word}` : `these ${word}s`}${view.level === 'campaign' ? ` and all ${single ? 'its' : 'their'} ad groups and ads` : view.level === 'adgroup' ? ` and all ${single ? 'its' : 'their'} ads` : ''}. You can resume later; nothing is deleted. TikTok's reports lag about 30 minutes, so some spend may still appear after the pause.`
          : `Resuming starts delivery again, and with it spending, within ${single ? 'its' : 'their'} budget.`}
      </p>
      {view.notes.map((note) => (
        <p key={note} class="sp-note">
          {note}
        </p>
      ))}
      {error && (
        <p class="sp-status" data-tone="error" role="alert">
          {error}
        </p>
      )}
      <div class="sp-row sp-actions">
        <button type="button" onClick={(e) => onCancel(e.isTrusted)} disabled={busy}>
          Cancel
        </button>
        <button
          ref={confirmRef}
          type="button"
          class={view.action === 'DISABLE' ? 'sp-danger' : 'sp-primary'}
          onClick={(e) => onConfirm(e.isTrusted)}
          disabled={busy || actionable === 0}
        >
          {confirmLabel}
        </button>
      </div>
    </div>
  );
}
