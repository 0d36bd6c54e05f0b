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
}

export interface OverlayProps {
  level: LevelName;
  controls: RowControl[];
  notice?: { tone: 'info' | 'error'; text: string } | null;
  onAction: (control: RowControl, event: MouseEvent | KeyboardEvent) => void;
  onDismissNotice?: () => void;
  /** The visible area of the table: controls outside it are hidden (the table clips its own rows). */
  clip?: { top: number; bottom: number } | null;
}

const BUTTON_WIDTH = 78;

export function Overlay({ level, controls, notice, onAction, onDismissNotice, clip }: OverlayProps) {
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
        const left = Math.max(0, control.rect.left + control.rect.width - BUTTON_WIDTH - 6);
        return (
          <div
            key={control.id}
            class="sp-control"
            data-object-id={control.id}
            style={{ top: `${centre - 13}px`, left: `${left}px` }}
          >
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
    </div>
  );
}
