import type { ConnectionState } from '../lib/mission-stream';
import { cx } from './ui';

const LABEL: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

const HINT: Record<ConnectionState, string> = {
  connecting: 'Opening the live connection to Garrison.',
  connected: 'Receiving events as they happen.',
  reconnecting: 'The live connection dropped; retrying. Nothing is lost: missed events are replayed.',
  offline: 'This browser is offline. Events are replayed when it is back.',
};

const DOT: Record<ConnectionState, string> = {
  connecting: 'bg-warn animate-pulse motion-reduce:animate-none',
  connected: 'bg-ok',
  reconnecting: 'bg-warn animate-pulse motion-reduce:animate-none',
  offline: 'bg-danger',
};

/** The mission log's own connection: colour and a word, and what it means on hover. */
export function ConnectionIndicator({ state }: { state: ConnectionState }) {
  return (
    <span
      className={cx('inline-flex items-center gap-1.5 rounded-full border border-border bg-panel px-2.5 py-0.5 text-sm font-medium', state === 'offline' && 'text-danger')}
      data-testid="connection"
      data-state={state}
      role="status"
      title={HINT[state]}
    >
      <span className={cx('size-2 rounded-full', DOT[state])} aria-hidden="true" />
      {LABEL[state]}
    </span>
  );
}
