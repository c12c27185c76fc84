'use client';

import { useEffect, useEffectEvent, useState } from 'react';
import { callApi, isUnauthenticated } from './api';
import type { EventsPage } from './api-types';
import { EMPTY_LOG, MissionLog, type LogSnapshot } from './mission-log';
import { openMissionStream, type ConnectionState, type MissionStream } from './mission-stream';
import { exposeTestHooks } from './test-hooks';

const HISTORY_PAGE = 5000;
const HISTORY_PARALLEL = 3;

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
    let closed = false;
    let stream: MissionStream | null = null;
    const history = new AbortController();
    const open = (): MissionStream => openMissionStream(missionId, {
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
    /**
     * History first, over REST in pages of 5,000, then the socket subscribes after what arrived
     * and streams the rest live: replaying a long history one socket message per event takes
     * seconds. The first page says where the head is; the others (a 50,000-event mission has
     * ten) are fetched a few at a time, and the log folds them in seq order whatever order they
     * land in. A failed page just leaves more for the socket's replay.
     */
    const fetchPage = async (afterSeq: number): Promise<EventsPage> => {
      const page = await callApi<EventsPage>(`/missions/${encodeURIComponent(missionId)}/events?afterSeq=${afterSeq}&limit=${HISTORY_PAGE}`, { signal: history.signal });
      if (page.prunedThroughSeq > 0) events.markPruned(page.prunedThroughSeq);
      for (const event of page.events) events.add(event);
      if (frame === null) frame = requestAnimationFrame(flush);
      return page;
    };
    const loadHistory = async (): Promise<void> => {
      try {
        const first = await fetchPage(0);
        if (first.events.length < HISTORY_PAGE) return;
        // Seqs are dense (or have holes where retention pruned, which only makes pages overlap).
        const starts: number[] = [];
        for (let afterSeq = first.nextAfterSeq; afterSeq < first.headSeq; afterSeq += HISTORY_PAGE) starts.push(afterSeq);
        const worker = async (): Promise<void> => {
          for (let next = starts.shift(); next !== undefined && !closed; next = starts.shift()) await fetchPage(next);
        };
        await Promise.all(Array.from({ length: HISTORY_PARALLEL }, worker));
      } catch (failure) {
        if (isUnauthenticated(failure)) signedOut();
      }
    };
    void loadHistory().then(() => {
      if (!closed) stream = open();
    });
    const removeHooks = exposeTestHooks({
      dropConnection: () => stream?.dropConnection(),
      transport: () => stream?.transport() ?? null,
      logSeqs: () => events.heldSeqs(),
    });

    return () => {
      closed = true;
      history.abort();
      removeHooks();
      stream?.close();
      if (frame !== null) cancelAnimationFrame(frame);
    };
  }, [missionId]);

  return { log, connection, problem };
}
