/**
 * A trigger for work that many events ask for and one run satisfies (reread the records, redraw the badge): one run
 * at a time, at most once per `minGapMs`, and never sooner after the last run than twice what it took, so a slow
 * read cannot keep the database busy while the worker writes. A trigger during a run schedules exactly one more run
 * after it, so the last event is always followed by a run.
 */
export interface Coalesced {
  (): void;
  cancel(): void;
}

export function coalesce(run: () => unknown, minGapMs: number, now: () => number = Date.now): Coalesced {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let again = false;
  let cancelled = false;
  let last = Number.NEGATIVE_INFINITY;
  let took = 0;
  const start = (): void => {
    timer = undefined;
    running = true;
    again = false;
    const began = now();
    last = began;
    const finish = (): void => {
      took = now() - began;
      running = false;
      if (again) trigger();
    };
    Promise.resolve().then(run).then(finish, finish);
  };
  const trigger = (() => {
    if (cancelled || timer !== undefined) return;
    if (running) {
      again = true;
      return;
    }
    timer = setTimeout(start, Math.max(0, last + Math.max(minGapMs, 2 * took) - now()));
  }) as Coalesced;
  trigger.cancel = () => {
    cancelled = true;
    clearTimeout(timer);
  };
  return trigger;
}
