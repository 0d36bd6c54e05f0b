import type { Level } from '../../lib/api/ids';
import type { RuleAction } from '../../lib/rules';
import type { BacktestAnswer, PreviewResult } from '../../lib/worker/rules';

const PLURAL: Record<Level, string> = { campaign: 'campaigns', adgroup: 'ad groups', ad: 'ads' };
const VERB: Record<RuleAction, string> = { flag: 'flag', pause: 'pause', resume: 'resume' };
const PAST: Record<RuleAction, string> = { flag: 'flagged', pause: 'paused', resume: 'resumed' };

const HELD_WORDS: Record<string, string> = {
  'not-enough-data': 'not enough data yet',
  'not-evaluable': 'not measurable',
  cooldown: 'in cooldown',
  'flap-limited': 'at the flap limit',
  protected: 'protected (a person or the emergency stop paused them)',
  'already-in-state': 'already as wanted',
  'outside-schedule': 'outside its days and hours',
};

/** Items listed before the rest fold away. */
const SHOWN = 20;

function money(value: number, currency: string): string {
  return `${value.toFixed(2)}${currency ? ` ${currency}` : ''}`;
}

/** What the rule would do now, per advertiser: the objects it would act on with the reason, then the others. */
export function PreviewView({ preview, action, level }: { preview: PreviewResult; action: RuleAction; level: Level }) {
  const id = `preview-${preview.ruleId}`;
  return (
    <section class="sp-results" aria-labelledby={id}>
      <h4 id={id}>Preview: what this rule would do now</h4>
      <p class="sp-hint">A dry run on TikTok's latest reports: nothing was sent. Its days and hours are set aside.</p>
      {preview.advertisers.map((a) => {
        const acting = a.items.filter((i) => i.decision === 'act' || i.decision === 'flag');
        const held = a.items.filter((i) => i.decision !== 'act' && i.decision !== 'flag');
        const heldTotal = Object.entries(a.counts)
          .filter(([d]) => d in HELD_WORDS)
          .reduce((sum, [, n]) => sum + n, 0);
        const heldCounts = Object.entries(a.counts)
          .filter(([d, n]) => n > 0 && d in HELD_WORDS)
          .map(([d, n]) => `${n} ${HELD_WORDS[d]}`);
        return (
          <div key={a.advertiserId} class="sp-result-block">
            <h5>
              {a.name} ({a.advertiserId})
            </h5>
            {a.error ? (
              <p class="sp-field-error">{a.error}</p>
            ) : (
              <>
                {a.insideSchedule === false && (
                  <p class="sp-hint">
                    Now is outside the rule's days and hours ({a.timeZone}): a scheduled check would do nothing yet.
                  </p>
                )}
                <p>
                  It would {VERB[action]} {acting.length} {PLURAL[level]}
                  {acting.length > 0 ? ':' : '.'} {a.counts['no-breach']} within the threshold
                  {heldCounts.length > 0 ? `; ${heldCounts.join(', ')}` : ''}.
                </p>
                {acting.length > 0 && (
                  <ul aria-label={`Would ${VERB[action]}`}>
                    {acting.slice(0, SHOWN).map((i) => (
                      <li key={i.id}>
                        <strong>{i.name}</strong> ({i.id}): {i.reason}
                      </li>
                    ))}
                  </ul>
                )}
                {acting.length > SHOWN && (
                  <details>
                    <summary>{acting.length - SHOWN} more</summary>
                    <ul>
                      {acting.slice(SHOWN).map((i) => (
                        <li key={i.id}>
                          <strong>{i.name}</strong> ({i.id}): {i.reason}
                        </li>
                      ))}
                    </ul>
                  </details>
                )}
                {held.length > 0 && (
                  <details>
                    <summary>
                      Held back ({held.length < heldTotal ? `first ${held.length} of ${heldTotal}` : heldTotal})
                    </summary>
                    <ul>
                      {held.map((i) => (
                        <li key={i.id}>
                          <strong>{i.name}</strong> ({i.id}): {i.reason}
                        </li>
                      ))}
                    </ul>
                  </details>
                )}
              </>
            )}
          </div>
        );
      })}
    </section>
  );
}

/** When the rule would have fired, the spend it would have saved, and what recovered afterwards. */
export function BacktestView({
  backtest,
  action,
  level,
}: {
  backtest: BacktestAnswer;
  action: RuleAction;
  level: Level;
}) {
  const id = `backtest-${backtest.ruleId}`;
  const kind = backtest.granularity === 'hour' ? 'hourly' : 'daily';
  return (
    <section class="sp-results" aria-labelledby={id}>
      <h4 id={id}>
        Backtest: the last {backtest.days} days of {kind} reports
      </h4>
      <p class="sp-hint">
        Replayed as if the rule had run at the end of each {backtest.granularity}. Savings count the spend after each
        firing that a pause would have stopped (
        {action === 'pause' ? 'for the rest of that day for rules on today, else to the end' : 'pause rules only'}).
      </p>
      {backtest.advertisers.map((a) => (
        <div key={a.advertiserId} class="sp-result-block">
          <h5>
            {a.name} ({a.advertiserId})
          </h5>
          {a.error ? (
            <p class="sp-field-error">{a.error}</p>
          ) : (
            <>
              <p>
                {a.from && a.to ? `${a.from} to ${a.to}, ` : ''}
                {a.objects} {PLURAL[level]} in scope: fired {a.firedCount} {a.firedCount === 1 ? 'time' : 'times'} on{' '}
                {a.fired.length} of them
                {action === 'pause' ? `; spend it would have saved: ${money(a.savedSpend, a.currency)}` : ''}.
              </p>
              {a.recovered.length > 0 && (
                <details open={a.recovered.length <= SHOWN}>
                  <summary>
                    Later recovered: {a.recovered.length} (it would have {PAST[action]} them, and at the end they no
                    longer breached)
                  </summary>
                  <ul>
                    {a.recovered.map((r) => (
                      <li key={r.id}>
                        {r.name} ({r.id})
                      </li>
                    ))}
                  </ul>
                </details>
              )}
              {a.firings.length > 0 && (
                <details open={a.firings.length <= SHOWN}>
                  <summary>
                    When it would have fired ({a.firedCount > a.firings.length ? `first ${a.firings.length} of ` : ''}
                    {a.firedCount})
                  </summary>
                  <table class="sp-table">
                    <thead>
                      <tr>
                        <th scope="col">When</th>
                        <th scope="col">Object</th>
                        <th scope="col">Why</th>
                        {action === 'pause' && <th scope="col">Saved</th>}
                      </tr>
                    </thead>
                    <tbody>
                      {a.firings.map((f) => (
                        <tr key={`${f.objectId}|${f.time}`}>
                          <td>{f.time}</td>
                          <td>
                            {f.name} ({f.objectId})
                          </td>
                          <td>{f.reason}</td>
                          {action === 'pause' && <td>{money(f.savedSpend, a.currency)}</td>}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </details>
              )}
            </>
          )}
        </div>
      ))}
    </section>
  );
}
