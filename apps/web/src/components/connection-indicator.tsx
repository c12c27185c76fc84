import type { ConnectionState } from '../lib/mission-stream';

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

export function ConnectionIndicator({ state }: { state: ConnectionState }) {
  return (
    <span className={`connection connection-${state}`} data-testid="connection" data-state={state} role="status" title={HINT[state]}>
      <span className="connection-dot" aria-hidden="true" />
      {LABEL[state]}
    </span>
  );
}
