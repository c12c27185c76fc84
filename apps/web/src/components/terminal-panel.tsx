'use client';

import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { openTerminalStream, type TerminalState, type TerminalStream } from '../lib/terminal-stream';

const LABEL: Record<TerminalState, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  ended: 'Ended',
  detached: 'Open elsewhere',
  refused: 'Unavailable',
};

/**
 * A shell in the workspace (uid 1000, /workspace), kept in tmux: it survives a reload of this
 * tab, which reattaches and redraws it. The terminal fits its panel and follows its size.
 */
export function TerminalPanel({ workspaceId, running }: { workspaceId: string; running: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  const stream = useRef<TerminalStream | null>(null);
  const [state, setState] = useState<TerminalState>('connecting');
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    if (!running || !host.current) return;
    const element = host.current;
    let disposed = false;
    let cleanup = (): void => {};

    void (async () => {
      // xterm.js needs the DOM: loaded in the browser only.
      const [{ Terminal }, { FitAddon }] = await Promise.all([import('@xterm/xterm'), import('@xterm/addon-fit')]);
      if (disposed) return;
      const styles = getComputedStyle(document.documentElement);
      const term = new Terminal({
        cursorBlink: true,
        fontFamily: styles.getPropertyValue('--font-mono') || 'monospace',
        fontSize: 13,
        scrollback: 5000,
        theme: { background: '#0e1217', foreground: '#d6dde8', cursor: '#d6dde8', selectionBackground: '#2f4a7a' },
      });
      const fit = new FitAddon();
      term.loadAddon(fit);
      term.open(element);
      fit.fit();
      setState('connecting');
      setMessage(null);

      let ended = false;
      const live = openTerminalStream(workspaceId, {
        reset: () => term.reset(),
        write: (data) => term.write(data),
        size: () => ({ cols: term.cols, rows: term.rows }),
        onState(next, text) {
          ended = next === 'ended' || next === 'detached';
          setState(next);
          setMessage(text);
          if (ended) term.write(`\r\n\x1b[2m[${text ?? 'Ended'} Press Enter to ${next === 'detached' ? 'take it back' : 'start a new shell'}.]\x1b[0m\r\n`);
        },
      });
      stream.current = live;
      const typing = term.onData((data) => {
        if (ended) {
          if (data === '\r') {
            ended = false;
            live.reopen();
          }
          return;
        }
        live.input(data);
      });
      const resizing = term.onResize(({ cols, rows }) => live.resize(cols, rows));
      let frame = 0;
      const observer = new ResizeObserver(() => {
        cancelAnimationFrame(frame);
        frame = requestAnimationFrame(() => fit.fit());
      });
      observer.observe(element);
      term.focus();
      cleanup = () => {
        observer.disconnect();
        cancelAnimationFrame(frame);
        typing.dispose();
        resizing.dispose();
        live.close();
        stream.current = null;
        term.dispose();
      };
    })();

    return () => {
      disposed = true;
      cleanup();
    };
  }, [workspaceId, running]);

  return (
    <section className="panel terminal-panel" aria-labelledby="terminal-heading">
      <div className="panel-heading">
        <h2 id="terminal-heading">Terminal</h2>
        <span className="muted small" title="A shell as the workspace user (uid 1000) in /workspace, kept in tmux: a reload reattaches to it.">
          kept across reloads
        </span>
        <span className={`connection terminal-state-${state}`} data-testid="terminal-state" data-state={running ? state : 'stopped'} role="status">
          <span className="connection-dot" aria-hidden="true" />
          {running ? LABEL[state] : 'Not running'}
        </span>
        <button
          type="button"
          className="button button-quiet"
          disabled={!running || state !== 'connected'}
          onClick={() => stream.current?.end()}
          title="End the shell and everything it runs; the next one starts fresh."
        >
          End session
        </button>
      </div>
      {message && state !== 'ended' && state !== 'detached' ? (
        <p className={state === 'refused' ? 'form-error' : 'muted small'} role={state === 'refused' ? 'alert' : undefined}>
          {message}
        </p>
      ) : null}
      {running ? (
        <div className="terminal-frame">
          <div ref={host} className="terminal-host" data-testid="terminal" aria-label="Workspace terminal" />
        </div>
      ) : (
        <p className="muted">Start or resume the workspace to open a terminal.</p>
      )}
    </section>
  );
}
