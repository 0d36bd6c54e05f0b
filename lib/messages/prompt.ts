/** What the confirm prompt shows: read from the API when the prompt opens, never from the page. */
export interface PromptObjectView {
  id: string;
  /** TikTok's name for it (the API's), and the name the row showed when it was clicked. */
  name: string;
  visibleName: string;
  operationStatus: string;
  secondaryStatus: string | null;
  budget: string | null;
  budgetMode: string | null;
  todaySpend: string | null;
  /** Why this object is skipped (not sent): unknown ID, renamed, already in the target state, a job in flight... */
  problem: string | null;
  /** What else changes with it or what to know (children that stop with it, a paused parent). */
  effect?: string | null;
}

export interface PromptView {
  promptId: string;
  level: 'campaign' | 'adgroup' | 'ad';
  action: 'DISABLE' | 'ENABLE';
  advertiser: { id: string; name: string; currency: string; timezone: string };
  objects: PromptObjectView[];
  /** Totals over the objects that will be sent (skipped ones excluded). */
  totals: {
    todaySpend: string | null;
    actionable: number;
    /** Budgets by kind: daily (incl. average daily) and lifetime sums with their counts, and how many have none. */
    budgets?: {
      daily: string | null;
      dailyCount: number;
      lifetime: string | null;
      lifetimeCount: number;
      unlimited: number;
    };
  };
  /** ISO time of the API read. */
  readAt: string;
  /** Things to know before confirming (cascade, parent paused...). */
  notes: string[];
}

export type PromptGetResult = { ok: true; view: PromptView } | { ok: false; error: string };
export type PromptConfirmResult = { ok: true; jobIds: string[] } | { ok: false; error: string };
