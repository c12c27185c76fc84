import {
  MissionResultPayload,
  MissionStatus,
  ProcessOutputPayload,
  ToolCallPayload,
  ToolResultPayload,
  type MissionEvent,
} from '@garrison/core';

/**
 * Output lines per rendered chunk: appending a line re-renders one chunk, never the whole log,
 * and a chunk is one row of the virtualized list, so it stays small enough to measure cheaply.
 */
export const LINES_PER_CHUNK = 50;

type Stream = ProcessOutputPayload['stream'];

export interface OutputPiece {
  seq: number;
  ts: string;
  text: string;
  invalidUtf8: boolean;
}

/** One line as printed: usually one event, several when the runner cut an over-long line. */
export interface OutputLine {
  seq: number;
  stream: Stream;
  pieces: readonly OutputPiece[];
}

export interface StatusInfo {
  status: MissionStatus;
  previous: MissionStatus | null;
  reason: string | null;
  exitCode: number | null;
}

export interface ToolOutcome {
  seq: number;
  ts: string;
  output: string;
  isError: boolean;
  truncated: boolean;
}

/**
 * A tool call as one line of work. Its result, once stored, gives the line its duration and
 * error state. A result that came right after its call is shown in the call's row
 * (`resultInRow`); one that came later keeps a row of its own where it happened, so the rows
 * still list every seq in order.
 */
export interface ToolBlock {
  kind: 'tool';
  key: string;
  seq: number;
  ts: string;
  call: ToolCallPayload;
  result: ToolOutcome | null;
  resultInRow: boolean;
}

/** Consecutive `agent.delta` events: the words of a message as it streams, one row for the run. */
export interface DeltaRun {
  kind: 'deltas';
  key: string;
  seqs: readonly number[];
  ts: string;
  text: string;
}

/** Deltas per run block: a long stream becomes a few rows, each cheap to render. */
export const DELTAS_PER_RUN = 200;

export type LogBlock =
  | { kind: 'output'; key: string; lines: readonly OutputLine[] }
  | ToolBlock
  | DeltaRun
  | { kind: 'status'; key: string; seq: number; ts: string; info: StatusInfo }
  | { kind: 'result'; key: string; seq: number; ts: string; result: MissionResultPayload }
  | { kind: 'event'; key: string; event: MissionEvent };

export interface LogSnapshot {
  blocks: readonly LogBlock[];
  /** Every event 1..shownSeq is rendered, and nothing after it. */
  shownSeq: number;
  lastStatus: { seq: number; ts: string; info: StatusInfo } | null;
}

export const EMPTY_LOG: LogSnapshot = { blocks: [], shownSeq: 0, lastStatus: null };

function parseStatus(payload: Record<string, unknown>): StatusInfo | null {
  const status = MissionStatus.safeParse(payload.status);
  if (!status.success) return null;
  const previous = MissionStatus.safeParse(payload.previous);
  return {
    status: status.data,
    previous: previous.success ? previous.data : null,
    reason: typeof payload.reason === 'string' ? payload.reason : null,
    exitCode: typeof payload.exitCode === 'number' ? payload.exitCode : null,
  };
}

/**
 * A mission's events as the page shows them. Events are held in a Map by seq, so a replayed or
 * repeated event is recognised and dropped; only the dense prefix 1..n is folded into blocks,
 * so the log never shows an event before the ones that precede it. Folding returns new objects
 * only for the blocks it touched: unchanged blocks keep their identity and React skips them.
 * Up to `prunedThroughSeq` (event retention deleted most of a long-ended mission's events) a
 * missing seq is a known hole: the next held event continues the log.
 */
export class MissionLog {
  private readonly events = new Map<number, MissionEvent>();
  private shown = 0;
  private blocks: LogBlock[] = [];
  private lastStatus: LogSnapshot['lastStatus'] = null;
  /** Where a line cut short (`partial`) continues, per stream. */
  private openLine: Partial<Record<Stream, { block: number; line: number }>> = {};
  private prunedThrough = 0;
  /** Calls without a result yet: callId -> their block's index. */
  private openCalls = new Map<string, number>();

  /** From the subscription ack: seqs up to here that never arrive were deleted, not delayed. */
  markPruned(throughSeq: number): void {
    this.prunedThrough = Math.max(this.prunedThrough, throughSeq);
  }

  /** The held event that comes right after `seq`, stepping over pruned holes; null if not held yet. */
  private nextAfter(seq: number): number | null {
    if (this.events.has(seq + 1)) return seq + 1;
    if (seq >= this.prunedThrough) return null;
    // The server replays in seq order, so the lowest held seq above is the next one.
    let next: number | null = null;
    for (const held of this.events.keys()) if (held > seq && held <= this.prunedThrough + 1 && (next === null || held < next)) next = held;
    return next;
  }

  /** Holds an event; false when its seq is already held. */
  add(event: MissionEvent): boolean {
    if (!Number.isInteger(event.seq) || event.seq < 1 || this.events.has(event.seq)) return false;
    this.events.set(event.seq, event);
    return true;
  }

  /** The highest seq with every event up to it held: where a resubscription continues. */
  get contiguousSeq(): number {
    let seq = this.shown;
    for (let next = this.nextAfter(seq); next !== null; next = this.nextAfter(seq)) seq = next;
    return seq;
  }

  get size(): number {
    return this.events.size;
  }

  /** Every seq this log holds, in order (shown or still waiting for an earlier one). */
  heldSeqs(): number[] {
    return [...this.events.keys()].sort((a, b) => a - b);
  }

  /** Folds the events that became contiguous since the last call; null when nothing did. */
  takeSnapshot(): LogSnapshot | null {
    const batch: MissionEvent[] = [];
    for (let next = this.nextAfter(this.shown); next !== null; next = this.nextAfter(this.shown)) {
      this.shown = next;
      batch.push(this.events.get(next)!);
    }
    if (batch.length === 0) return null;
    this.fold(batch);
    return { blocks: this.blocks, shownSeq: this.shown, lastStatus: this.lastStatus };
  }

  private fold(batch: MissionEvent[]): void {
    const blocks = this.blocks.slice();
    const editedLines = new Map<number, OutputLine[]>();
    const linesOf = (index: number): OutputLine[] => {
      let lines = editedLines.get(index);
      if (!lines) {
        const block = blocks[index];
        lines = block?.kind === 'output' ? block.lines.slice() : [];
        editedLines.set(index, lines);
      }
      return lines;
    };

    for (const event of batch) {
      const key = `e${event.seq}`;
      if (event.type === 'process.output') {
        const output = ProcessOutputPayload.safeParse(event.payload);
        if (output.success) {
          this.foldOutput(event, output.data, blocks, linesOf);
          continue;
        }
      } else if (event.type === 'mission.status') {
        const info = parseStatus(event.payload);
        if (info) {
          blocks.push({ kind: 'status', key, seq: event.seq, ts: event.ts, info });
          this.lastStatus = { seq: event.seq, ts: event.ts, info };
          continue;
        }
      } else if (event.type === 'agent.delta' && typeof event.payload.text === 'string') {
        const last = blocks[blocks.length - 1];
        if (last?.kind === 'deltas' && last.seqs.at(-1) === event.seq - 1 && last.seqs.length < DELTAS_PER_RUN) {
          blocks[blocks.length - 1] = { ...last, seqs: [...last.seqs, event.seq], text: last.text + event.payload.text };
        } else {
          blocks.push({ kind: 'deltas', key, seqs: [event.seq], ts: event.ts, text: event.payload.text });
        }
        continue;
      } else if (event.type === 'tool.call') {
        const call = ToolCallPayload.safeParse(event.payload);
        if (call.success) {
          this.openCalls.set(call.data.callId, blocks.length);
          blocks.push({ kind: 'tool', key, seq: event.seq, ts: event.ts, call: call.data, result: null, resultInRow: false });
          continue;
        }
      } else if (event.type === 'tool.result') {
        const result = ToolResultPayload.safeParse(event.payload);
        const index = result.success ? this.openCalls.get(result.data.callId) : undefined;
        const block = index === undefined ? undefined : blocks[index];
        if (result.success && index !== undefined && block?.kind === 'tool') {
          this.openCalls.delete(result.data.callId);
          const outcome: ToolOutcome = { seq: event.seq, ts: event.ts, output: result.data.output, isError: result.data.isError, truncated: result.data.truncated === true };
          const resultInRow = block.seq === event.seq - 1;
          blocks[index] = { ...block, result: outcome, resultInRow };
          if (resultInRow) continue;
        }
      } else if (event.type === 'mission.result') {
        const result = MissionResultPayload.safeParse(event.payload);
        if (result.success) {
          blocks.push({ kind: 'result', key, seq: event.seq, ts: event.ts, result: result.data });
          continue;
        }
      }
      // Types this page does not know yet, and payloads that do not match their schema.
      blocks.push({ kind: 'event', key, event });
    }

    for (const [index, lines] of editedLines) {
      const block = blocks[index];
      if (block?.kind === 'output') blocks[index] = { ...block, lines };
    }
    this.blocks = blocks;
  }

  private foldOutput(
    event: MissionEvent,
    output: ProcessOutputPayload,
    blocks: LogBlock[],
    linesOf: (index: number) => OutputLine[],
  ): void {
    const piece: OutputPiece = { seq: event.seq, ts: event.ts, text: output.text, invalidUtf8: output.invalidUtf8 === true };
    const open = this.openLine[output.stream];
    let at: { block: number; line: number };
    if (open) {
      const lines = linesOf(open.block);
      const line = lines[open.line]!;
      lines[open.line] = { ...line, pieces: [...line.pieces, piece] };
      at = open;
    } else {
      let index = blocks.length - 1;
      const last = blocks[index];
      if (last?.kind !== 'output' || linesOf(index).length >= LINES_PER_CHUNK) {
        blocks.push({ kind: 'output', key: `o${event.seq}`, lines: [] });
        index = blocks.length - 1;
      }
      const lines = linesOf(index);
      lines.push({ seq: event.seq, stream: output.stream, pieces: [piece] });
      at = { block: index, line: lines.length - 1 };
    }
    this.openLine[output.stream] = output.partial ? at : undefined;
  }
}
