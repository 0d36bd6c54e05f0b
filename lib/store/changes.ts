/**
 * "The records changed" signal from the worker to the extension's own pages (popup, history, Emergency stop).
 * Pages read the database themselves; this only tells them when to read again, so a pause's progress shows as it
 * happens instead of at the next one-second poll. A BroadcastChannel reaches only documents and workers of the
 * extension's origin, never a web page or a content script. Losing a signal costs nothing: pages still poll.
 */

const CHANNEL = 'safepause:records';

let sender: BroadcastChannel | null | undefined;

/** Called by the worker after it stored steps. Never throws. */
export function announceRecordsChanged(): void {
  try {
    if (sender === undefined) sender = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : null;
    sender?.postMessage('changed');
  } catch {
    sender = null;
  }
}

/**
 * Calls `reload` soon after the worker announces a change: at most once per `minGapMs` (a bulk stop of a thousand
 * campaigns stores hundreds of steps a second; the page reads once per gap). Returns the unsubscribe function.
 */
export function onRecordsChanged(reload: () => void, minGapMs = 150): () => void {
  if (typeof BroadcastChannel !== 'function') return () => undefined;
  const channel = new BroadcastChannel(CHANNEL);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = 0;
  channel.onmessage = (event: MessageEvent) => {
    if (event.data !== 'changed' || timer !== undefined) return;
    const wait = Math.max(0, last + minGapMs - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      last = Date.now();
      reload();
    }, wait);
  };
  return () => {
    clearTimeout(timer);
    channel.close();
  };
}
