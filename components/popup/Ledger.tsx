import type { Job } from '../../lib/jobs/types';
import { type BudgetDeltas, formatMoney, jobDeltas, parseMoney } from '../../lib/ledger';

/** The ledger of one pause, or null when the job carries no budget context (older jobs, resumes). */
export function deltasOf(job: Job): BudgetDeltas | null {
  if (job.action !== 'DISABLE' || !job.ledger) return null;
  try {
    return jobDeltas(job, {
      currency: job.ledger.currency,
      budgetMode: job.ledger.budgetMode,
      budget: job.ledger.budget,
      todaySpendAtClick: job.ledger.todaySpendAtClick,
      timeZone: job.ledger.timeZone,
    });
  } catch {
    return null;
  }
}

function money(minor: number | null, currency: string): string {
  return minor === null ? 'not measured' : formatMoney(minor, currency);
}

/** Leaked spend and budget kept, in words, with "so far" until the report window has passed. */
export function LedgerLine({ deltas }: { deltas: BudgetDeltas }) {
  const soFar = deltas.provisional ? ' so far' : '';
  return (
    <dl class="sp-ledger">
      <div title="Spend TikTok reported after you decided to pause (lifetime spend now minus at the click).">
        <dt>Leaked</dt>
        <dd>
          {money(deltas.leakedSpend, deltas.currency)}
          {soFar}
        </dd>
      </div>
      <div title="Budget that remained at the click (daily budget minus today's spend, or total budget minus lifetime spend), minus what leaked.">
        <dt>Budget kept</dt>
        <dd>
          {deltas.budgetKind === 'unlimited'
            ? 'no budget limit'
            : `${money(deltas.budgetKept, deltas.currency)}${deltas.budgetKept === null ? '' : soFar}`}
        </dd>
      </div>
    </dl>
  );
}

/**
 * Spend per hour of the day of the pause, up to the click (grey), and what was spent after the click (red): where a
 * glance says more than the figures. An image with a text alternative that carries the same numbers.
 */
export function SpendChart({ job, deltas }: { job: Job; deltas: BudgetDeltas }) {
  const hourly = job.ledger?.hourly;
  if (!hourly || hourly.length === 0 || !job.ledger) return null;
  const currency = job.ledger.currency;
  const bars = hourly.map(([hour, value]) => ({ hour, minor: parseMoney(value, currency) ?? 0 }));
  const after = deltas.leakedSpend ?? 0;
  const max = Math.max(1, after, ...bars.map((b) => b.minor));
  const chartWidth = 300;
  const height = 40;
  const slot = chartWidth / (bars.length + 1);
  const width = Math.max(2, Math.min(24, slot * 0.75));
  const label =
    `Spend per hour on ${job.ledger.day} before the pause: ` +
    bars.map((b) => `${String(b.hour).padStart(2, '0')}:00 ${formatMoney(b.minor, currency)}`).join(', ') +
    `. After the pause: ${formatMoney(after, currency)}${deltas.provisional ? ' so far' : ''}.`;
  const barHeight = (minor: number) => Math.max(1, Math.round((minor / max) * height));
  return (
    <figure class="sp-chart-wrap">
      <svg
        class="sp-chart"
        role="img"
        aria-label={label}
        viewBox={`0 0 ${chartWidth} ${height + 12}`}
        width={chartWidth}
        height={height + 12}
      >
        <title>{label}</title>
        {bars.map((b, i) => (
          <rect
            key={b.hour}
            x={i * slot}
            y={height - barHeight(b.minor)}
            width={width}
            height={barHeight(b.minor)}
            class="sp-bar"
          />
        ))}
        <rect
          x={bars.length * slot}
          y={height - barHeight(after)}
          width={width}
          height={barHeight(after)}
          class="sp-bar-after"
        />
        <text x="0" y={height + 11} class="sp-chart-axis">
          {String(bars[0]?.hour ?? 0).padStart(2, '0')}:00
        </text>
        <text x={chartWidth} y={height + 11} class="sp-chart-axis sp-chart-after" text-anchor="end">
          after the click
        </text>
      </svg>
      <figcaption class="sp-hint">Spend per hour today (grey) and after the click (red)</figcaption>
    </figure>
  );
}
