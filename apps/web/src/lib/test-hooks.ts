const FLAG = 'garrison:test-hooks';

export interface TestHooks {
  /** Cuts this page's own Socket.IO transport, as a network failure would. */
  dropConnection(): void;
  /** The Socket.IO transport in use: `polling` or `websocket` (null while disconnected). */
  transport(): string | null;
  /** Every seq the page's log model holds, in order; the list renders only some of them. */
  logSeqs(): number[];
}

declare global {
  interface Window {
    __garrisonTest?: TestHooks;
  }
}

/**
 * Browser tests need to cut a live connection: Chromium's offline emulation blocks new requests
 * but may leave an open WebSocket alone. Hooks exist only in a tab opened once with
 * `?testHooks=1` (remembered in sessionStorage across navigations), and they only touch the
 * page's own connection.
 */
export function testHooksEnabled(): boolean {
  try {
    if (new URLSearchParams(window.location.search).get('testHooks') === '1') sessionStorage.setItem(FLAG, '1');
    return sessionStorage.getItem(FLAG) === '1';
  } catch {
    return false;
  }
}

export function exposeTestHooks(hooks: TestHooks): () => void {
  if (!testHooksEnabled()) return () => {};
  window.__garrisonTest = hooks;
  return () => {
    if (window.__garrisonTest === hooks) delete window.__garrisonTest;
  };
}
