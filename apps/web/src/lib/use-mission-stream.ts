'use client';

import { useEffect, useEffectEvent, useState } from 'react';
import { EMPTY_LOG, MissionLog, type LogSnapshot } from './mission-log';
import { openMissionStream, type ConnectionState } from './mission-stream';
import { exposeTestHooks } from './test-hooks';

export interface MissionStreamView {
  log: LogSnapshot;
  connection: ConnectionState;
  problem: { code: string; message: string } | null;
}

/**
 * The live event log of one mission. Events land in a MissionLog as they arrive; React state is
 * updated at most once per animation frame, with every event that arrived since the last one.
 */
export function useMissionStream(missionId: string, onSignedOut: () => void): MissionStreamView {
  const [log, setLog] = useState<LogSnapshot>(EMPTY_LOG);
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [problem, setProblem] = useState<MissionStreamView['problem']>(null);
  const signedOut = useEffectEvent(onSignedOut);

  useEffect(() => {
    const events = new MissionLog();
    let frame: number | null = null;
    const flush = (): void => {
      frame = null;
      const next = events.takeSnapshot();
      if (next) setLog(next);
    };

    setLog(EMPTY_LOG);
    setProblem(null);
    const stream = openMissionStream(missionId, {
      afterSeq: () => events.contiguousSeq,
      onEvent(event) {
        if (events.add(event) && frame === null) frame = requestAnimationFrame(flush);
      },
      onConnection: setConnection,
      onSubscribed(_headSeq, prunedThroughSeq) {
        setProblem(null);
        if (prunedThroughSeq === 0) return;
        events.markPruned(prunedThroughSeq);
        if (frame === null) frame = requestAnimationFrame(flush);
      },
      onProblem(code, message) {
        if (code === 'unauthenticated') signedOut();
        else setProblem({ code, message });
      },
    });
    const removeHooks = exposeTestHooks({
      dropConnection: () => stream.dropConnection(),
      transport: () => stream.transport(),
    });

    return () => {
      removeHooks();
      stream.close();
      if (frame !== null) cancelAnimationFrame(frame);
    };
  }, [missionId]);

  return { log, connection, problem };
}
