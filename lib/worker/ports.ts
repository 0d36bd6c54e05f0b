import type { Browser } from 'wxt/browser';

const HOLD_MS = 30_000;

/** Open overlay ports by tab: how the worker tells a tab that its jobs or its prompt changed. */
export function createPortHub(now: () => number = Date.now) {
  const byTab = new Map<number, Set<Browser.runtime.Port>>();
  /**
   * Messages for a tab whose overlay has no port yet: a worker woken by the confirm prompt's click answers before
   * the tab's overlay has reconnected, and "prompt closed" must still reach it. Kept briefly, delivered on connect.
   */
  const waiting = new Map<number, { at: number; message: unknown }[]>();

  function add(tabId: number, port: Browser.runtime.Port) {
    const set = byTab.get(tabId) ?? new Set();
    set.add(port);
    byTab.set(tabId, set);
    const queued = waiting.get(tabId) ?? [];
    waiting.delete(tabId);
    for (const q of queued) if (now() - q.at <= HOLD_MS) post(port, q.message);
    port.onDisconnect.addListener(() => {
      set.delete(port);
      if (set.size === 0) byTab.delete(tabId);
    });
  }

  function post(port: Browser.runtime.Port, message: unknown) {
    try {
      port.postMessage(message);
    } catch {
      // A closed tab's port: its disconnect handler removes it.
    }
  }

  function toTab(tabId: number, message: unknown) {
    const ports = byTab.get(tabId);
    if (!ports || ports.size === 0) {
      const list = (waiting.get(tabId) ?? []).filter((q) => now() - q.at <= HOLD_MS);
      list.push({ at: now(), message });
      waiting.set(tabId, list.slice(-20));
      return;
    }
    for (const port of ports) post(port, message);
  }

  function toAll(message: unknown) {
    for (const ports of byTab.values()) for (const port of ports) post(port, message);
  }

  return { add, toTab, toAll };
}
