import { describe, expect, test } from 'vitest';
import { createPortHub } from '../../../lib/worker/ports';

function fakePort() {
  const received: unknown[] = [];
  const onDisconnect: (() => void)[] = [];
  const port = {
    postMessage: (m: unknown) => received.push(m),
    onDisconnect: { addListener: (fn: () => void) => onDisconnect.push(fn) },
  };
  return {
    port: port as never,
    received,
    disconnect: () => {
      for (const fn of onDisconnect) fn();
    },
  };
}

describe('port hub', () => {
  test('a message for a connected tab goes to its ports only', () => {
    const hub = createPortHub();
    const a = fakePort();
    const b = fakePort();
    hub.add(1, a.port);
    hub.add(2, b.port);
    hub.toTab(1, { type: 'jobs:changed', objectIds: ['1'] });
    expect(a.received).toEqual([{ type: 'jobs:changed', objectIds: ['1'] }]);
    expect(b.received).toEqual([]);
  });

  test('a message for a tab whose overlay has not reconnected yet is delivered when it connects', () => {
    let now = 1_000;
    const hub = createPortHub(() => now);
    const first = fakePort();
    hub.add(7, first.port);
    first.disconnect();
    hub.toTab(7, { type: 'prompt:closed', promptId: 'p1', outcome: 'confirmed' });
    now += 1_200;
    const again = fakePort();
    hub.add(7, again.port);
    expect(again.received).toEqual([{ type: 'prompt:closed', promptId: 'p1', outcome: 'confirmed' }]);
    const later = fakePort();
    hub.add(7, later.port);
    expect(later.received).toEqual([]);
  });

  test('held messages expire after 30 s', () => {
    let now = 0;
    const hub = createPortHub(() => now);
    hub.toTab(3, { type: 'prompt:closed', promptId: 'old', outcome: 'cancelled' });
    now = 31_000;
    const port = fakePort();
    hub.add(3, port.port);
    expect(port.received).toEqual([]);
  });
});
