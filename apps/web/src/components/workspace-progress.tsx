'use client';

import { useEffect, useRef, useState } from 'react';
import { io } from 'socket.io-client';
import { queryKeys, useApiQuery } from '../lib/queries';
import { cx } from './ui';

interface InitLog {
  completed: boolean;
  completedAt: string | null;
  log: string | null;
}

interface ImageProgress {
  image: string;
  state: 'building' | 'built' | 'failed';
  line?: string;
  message?: string;
}

const MAX_LIVE_CHARS = 256 * 1024;
const INIT_LOG_REFRESH_MS = 3000;
/** States in which an init script may still be running or about to. */
const SETTING_UP = new Set(['creating', 'starting', 'running']);

/**
 * What a workspace is doing before it is usable: its template's init script (the kept log, and
 * its output live while it runs) and any build of the workspace image on the worker.
 */
export function WorkspaceProgress({ workspaceId, status, framed = true }: { workspaceId: string; status: string; framed?: boolean }) {
  const [live, setLive] = useState('');
  const [image, setImage] = useState<ImageProgress | null>(null);
  const logRef = useRef<HTMLPreElement>(null);

  // The stored log is the truth once the script ended. Asked again whenever the status moves,
  // and every few seconds until the script has completed, so a request lost under load (or an
  // answer that came before the script ended) never leaves the page without the log.
  const initLogQuery = useApiQuery<InitLog>([...queryKeys.workspace(workspaceId), 'init-log', status], `/workspaces/${encodeURIComponent(workspaceId)}/init-log`, {
    refetchInterval: (query) => (query.state.data?.completed || !SETTING_UP.has(status) ? false : INIT_LOG_REFRESH_MS),
  });
  const initLog = initLogQuery.data ?? null;
  useEffect(() => {
    if (initLog?.log != null) setLive('');
  }, [initLog?.log]);

  useEffect(() => {
    const socket = io({ path: '/socket.io', transports: ['polling', 'websocket'], withCredentials: true });
    socket.on('connect', () => {
      socket.emit('workspace:subscribe', { workspaceId });
      socket.emit('images:subscribe', {});
    });
    // Dropped by the API when the role, team or session changed: reconnect and be authorized afresh.
    socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('workspace:init-output', (event: { workspaceId: string; text: string }) => {
      if (event.workspaceId === workspaceId) setLive((text) => (text + event.text).slice(-MAX_LIVE_CHARS));
    });
    socket.on('image:progress', (event: ImageProgress) => {
      setImage((previous) => ({ ...event, line: event.line ?? previous?.line }));
    });
    return () => {
      socket.close();
    };
  }, [workspaceId]);

  useEffect(() => {
    logRef.current?.scrollTo({ top: logRef.current.scrollHeight });
  }, [live, initLog]);

  const text = live || initLog?.log || '';
  const initState = initLog?.completed ? 'succeeded' : status === 'error' && initLog?.log ? 'failed' : live ? 'running' : null;
  if (!text && !image) return null;

  return (
    <section className={cx('space-y-2', framed && 'rounded-lg border border-border bg-panel p-4')} aria-labelledby={`workspace-progress-title-${workspaceId}`}>
      <h2 id={`workspace-progress-title-${workspaceId}`} className={cx('font-semibold', framed ? 'text-base' : 'text-sm')}>
        Setup
      </h2>
      {image ? (
        <p className={cx('text-sm', image.state === 'failed' ? 'text-danger' : 'text-muted')} role="status" data-testid="image-progress">
          {image.state === 'building' ? `Building ${image.image}… ${image.line ?? ''}` : image.message}
        </p>
      ) : null}
      {text ? (
        <>
          <p className="text-sm text-muted" data-testid="init-state">
            Init script {initState ?? 'log'}
            {initLog?.completedAt ? ` · finished ${new Date(initLog.completedAt).toLocaleString()}` : ''}
          </p>
          <pre
            className="max-h-64 overflow-auto rounded-md bg-log p-3 font-mono text-xs leading-relaxed whitespace-pre-wrap text-log-fg focus-visible:outline-2 focus-visible:outline-focus"
            ref={logRef}
            data-testid="init-log"
            tabIndex={0}
            aria-label="Init script output"
          >
            {text}
          </pre>
        </>
      ) : null}
    </section>
  );
}
