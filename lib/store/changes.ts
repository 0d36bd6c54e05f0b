/**
 * "The records changed" signal from the worker to the extension's own pages (popup, history, Emergency stop).
 * Pages read the database themselves; this only tells them when to read again, so a pause's progress shows as it
 * happens instead of at the next one-second poll. A BroadcastChannel reaches only documents and workers of the
 * extension's origin, never a web page or a content script. Losing a signal costs nothing: pages still poll.
 */

import { coalesce } from '../coalesce';

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
 * Calls `reload` soon after the worker announces a change, coalesced (see `coalesce`): a bulk stop of a thousand
 * campaigns stores hundreds of steps a second; the page reads once per gap, one read at a time. Returns the
 * unsubscribe function.
 */
export function onRecordsChanged(reload: () => unknown, minGapMs = 150): () => void {
  if (typeof BroadcastChannel !== 'function') return () => undefined;
  const channel = new BroadcastChannel(CHANNEL);
  const soon = coalesce(reload, minGapMs);
  channel.onmessage = (event: MessageEvent) => {
    if (event.data === 'changed') soon();
  };
  return () => {
    soon.cancel();
    channel.close();
  };
}

/**
 * Wraps `fn` so that reads never overlap, yet none is stale: a call while a read runs is answered by one follow-up
 * read that starts when it ends (every call meanwhile shares it). Sharing the running read instead would answer a
 * change recorded after that read began with figures from before it, until the next timer tick.
 */
export function singleFlight<T>(fn: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | null = null;
  let next: Promise<T> | null = null;
  const start = (): Promise<T> => {
    const run: Promise<T> = fn().finally(() => {
      if (running === run) running = null;
    });
    running = run;
    return run;
  };
  return () => {
    if (running === null) return start();
    next ??= running
      .catch(() => undefined)
      .then(() => {
        next = null;
        return start();
      });
    return next;
  };
}
