import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { PromptConfirmResult, PromptGetResult, PromptView } from '../../lib/messages/prompt';
import { ConfirmDialog } from './ConfirmDialog';

/**
 * The confirm prompt runs in an extension-origin frame over Ads Manager: the page can neither read nor
 * script it. It acts only on a trusted click or key press.
 */
export function ConfirmApp({ promptId }: { promptId: string }) {
  const [view, setView] = useState<PromptView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    browser.runtime.sendMessage({ type: 'prompt:get', promptId }).then(
      (result: PromptGetResult) => (result.ok ? setView(result.view) : setError(result.error)),
      (e: unknown) =>
        setError(`SafePause could not read this from TikTok: ${e instanceof Error ? e.message : String(e)}`),
    );
  }, [promptId]);

  async function confirm(trusted: boolean) {
    if (!trusted || busy) return;
    setBusy(true);
    try {
      const result = (await browser.runtime.sendMessage({ type: 'prompt:confirm', promptId })) as PromptConfirmResult;
      if (!result.ok) {
        setError(result.error);
        setBusy(false);
      }
    } catch (e) {
      setError(`Nothing was sent: ${e instanceof Error ? e.message : String(e)}`);
      setBusy(false);
    }
  }

  function cancel(trusted: boolean) {
    if (!trusted) return;
    void browser.runtime.sendMessage({ type: 'prompt:cancel', promptId });
  }

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        cancel(event.isTrusted);
      } else if (event.key === 'Enter' && view && !(event.target instanceof HTMLButtonElement)) {
        event.preventDefault();
        void confirm(event.isTrusted);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (!view) {
    return (
      <div class="sp-dialog" role="dialog" aria-modal="true" aria-label="SafePause confirmation">
        {error ? (
          <>
            <p class="sp-status" data-tone="error" role="alert">
              {error}
            </p>
            <button type="button" onClick={(e) => cancel(e.isTrusted)}>
              Close
            </button>
          </>
        ) : (
          <p role="status">Reading the current state from TikTok…</p>
        )}
      </div>
    );
  }
  return (
    <ConfirmDialog
      view={view}
      busy={busy}
      error={error}
      onConfirm={(trusted) => void confirm(trusted)}
      onCancel={cancel}
    />
  );
}
