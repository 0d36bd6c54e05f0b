import type { Browser } from 'wxt/browser';

/** Open overlay ports by tab: how the worker tells a tab that its jobs or its prompt changed. */
export function createPortHub() {
  const byTab = new Map<number, Set<Browser.runtime.Port>>();

  function add(tabId: number, port: Browser.runtime.Port) {
    const set = byTab.get(tabId) ?? new Set();
    set.add(port);
    byTab.set(tabId, set);
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
    for (const port of byTab.get(tabId) ?? []) post(port, message);
  }

  function toAll(message: unknown) {
    for (const ports of byTab.values()) for (const port of ports) post(port, message);
  }

  return { add, toTab, toAll };
}
