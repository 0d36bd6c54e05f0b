import type { StateLabel } from '../../lib/jobs/labels';

export type LevelName = 'campaign' | 'adgroup' | 'ad';

export const LEVEL_WORDS: Record<LevelName, string> = { campaign: 'campaign', adgroup: 'ad group', ad: 'ad' };

export interface RowControl {
  /** The corroborated object ID (the key: recycled row elements never carry a control over). */
  id: string;
  name: string;
  /** Where the name cell is, in viewport pixels. */
  rect: { top: number; left: number; width: number; height: number };
  action: 'DISABLE' | 'ENABLE';
  chip?: StateLabel & { detail?: string };
  busy?: boolean;
  /** Marks of threshold rules on this row (breaches first), as text from the worker. */
  flags?: { kind: 'breach' | 'data'; label: string; text: string }[];
}

export interface OverlayProps {
  level: LevelName;
  controls: RowControl[];
  notice?: { tone: 'info' | 'error'; text: string } | null;
  onAction: (control: RowControl, event: MouseEvent | KeyboardEvent) => void;
  onDismissNotice?: () => void;
  /** The visible area of the table: controls outside it are hidden (the table clips its own rows). */
  clip?: { top: number; bottom: number } | null;
  /** Row checkboxes and the selection bar for bulk pauses and resumes; absent: no selection UI. */
  selection?: SelectionProps;
}

export interface SelectionProps {
  /** Selected object IDs (kept by ID: rows out of view stay selected). */
  selected: ReadonlySet<string>;
  /** How many selected rows offer each action (their own row's button): on ones Pause, the rest Resume. */
  counts: { DISABLE: number; ENABLE: number };
  onToggle: (control: RowControl, event: MouseEvent) => void;
  /** Opens one confirm prompt for the selected rows that offer `action`. */
  onBulk: (action: 'DISABLE' | 'ENABLE', event: MouseEvent) => void;
  onSelectAllVisible: (event: MouseEvent) => void;
  onClear: (event: MouseEvent) => void;
}

/**
 * The floating bar for the current selection: `N selected`, `Pause N selected` for the selected rows that are on,
 * `Resume M selected` for those that are off (a button whose count is 0 is left out), `Select all visible`,
 * `Clear selection`.
 */
function SelectionBar({ selection }: { selection: SelectionProps }) {
  const count = selection.selected.size;
  if (count === 0) return null;
  const { DISABLE: pause, ENABLE: resume } = selection.counts;
  return (
    <section class="sp-selection-bar" aria-label="SafePause selection">
      <output class="sp-selection-count">{count} selected</output>
      {pause > 0 && (
        <button
          type="button"
          class="sp-bulk-action"
          data-action="DISABLE"
          onClick={(event) => selection.onBulk('DISABLE', event)}
        >
          Pause {pause} selected
        </button>
      )}
      {resume > 0 && (
        <button
          type="button"
          class="sp-bulk-action"
          data-action="ENABLE"
          onClick={(event) => selection.onBulk('ENABLE', event)}
        >
          Resume {resume} selected
        </button>
      )}
      <button type="button" class="sp-bulk-all" onClick={(event) => selection.onSelectAllVisible(event)}>
        Select all visible
      </button>
      <button type="button" class="sp-bulk-clear" onClick={(event) => selection.onClear(event)}>
        Clear selection
      </button>
    </section>
  );
}

const BUTTON_WIDTH = 78;

export function Overlay({ level, controls, notice, onAction, onDismissNotice, clip, selection }: OverlayProps) {
  const word = LEVEL_WORDS[level];
  return (
    <div class="sp-layer">
      {notice && (
        <div class="sp-notice" data-tone={notice.tone} role={notice.tone === 'error' ? 'alert' : 'status'}>
          <strong>SafePause</strong> <span>{notice.text}</span>
          {onDismissNotice && (
            <button
              type="button"
              class="sp-notice-close"
              aria-label="Dismiss SafePause notice"
              onClick={onDismissNotice}
            >
              ×
            </button>
          )}
        </div>
      )}
      {controls.map((control) => {
        const centre = control.rect.top + control.rect.height / 2;
        if (clip && (centre < clip.top || centre > clip.bottom)) return null;
        const verb = control.action === 'DISABLE' ? 'Pause' : 'Resume';
        // The control's right edge sits just inside the name cell's right edge; a chip grows leftwards over the
        // clipped end of the name, never over the page's own status column.
        const right = Math.max(BUTTON_WIDTH - 6, control.rect.left + control.rect.width - 6);
        return (
          <div
            key={control.id}
            class="sp-control"
            data-object-id={control.id}
            style={{ top: `${centre - 13}px`, left: `${right}px` }}
          >
            {selection && (
              <input
                type="checkbox"
                class="sp-select"
                aria-label={`Select ${word} ${control.name}`}
                checked={selection.selected.has(control.id)}
                onClick={(event) => selection.onToggle(control, event)}
              />
            )}
            {control.chip && (
              <span
                class="sp-chip"
                data-tone={control.chip.tone}
                role="status"
                aria-label={`${word} ${control.name}: ${control.chip.label}`}
                title={
                  control.chip.detail ? `${control.chip.explanation} ${control.chip.detail}` : control.chip.explanation
                }
              >
                {control.chip.label}
              </span>
            )}
            {control.flags?.[0] && (
              <span
                class="sp-flag"
                data-kind={control.flags[0].kind}
                role="img"
                aria-label={`${word} ${control.name}: ${control.flags.map((f) => f.text).join('; ')}`}
                title={control.flags.map((f) => f.text).join('\n')}
              >
                {control.flags[0].label}
                {control.flags.length > 1 ? ` +${control.flags.length - 1}` : ''}
              </span>
            )}
            <button
              type="button"
              class="sp-action"
              data-action={control.action}
              aria-label={`${verb} ${word} ${control.name}`}
              disabled={control.busy}
              onClick={(event) => onAction(control, event)}
            >
              {verb}
            </button>
          </div>
        );
      })}
      {selection && <SelectionBar selection={selection} />}
    </div>
  );
}
