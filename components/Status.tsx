export type Tone = 'ok' | 'error' | 'info';

/** A live status line: screen readers hear it when it changes. Text only, never markup. */
export function Status({ tone, text }: { tone: Tone; text: string }) {
  return (
    <p class="sp-status" data-tone={tone} role={tone === 'error' ? 'alert' : 'status'}>
      {text}
    </p>
  );
}
