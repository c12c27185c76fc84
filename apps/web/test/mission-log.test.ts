import { describe, expect, test } from 'vitest';
import type { MissionEvent } from '@garrison/core';
import { LINES_PER_CHUNK, MissionLog, type LogBlock } from '../src/lib/mission-log.ts';

const ts = '2026-01-01T00:00:00.000Z';

function out(seq: number, text: string, extra: Record<string, unknown> = {}): MissionEvent {
  return { missionId: 'm1', seq, ts, type: 'process.output', payload: { stream: 'stdout', text, ...extra } };
}

function status(seq: number, to: string, previous: string | null, reason: string | null = null): MissionEvent {
  return { missionId: 'm1', seq, ts, type: 'mission.status', payload: { status: to, previous, reason } };
}

/** The seqs in the order a page renders them (what `[data-seq]` would list). */
function renderedSeqs(blocks: readonly LogBlock[]): number[] {
  return blocks.flatMap((block) => {
    switch (block.kind) {
      case 'output':
        return block.lines.flatMap((line) => line.pieces.map((piece) => piece.seq));
      case 'event':
        return [block.event.seq];
      case 'deltas':
        return [...block.seqs];
      case 'tool':
        return block.result && block.resultInRow ? [block.seq, block.result.seq] : [block.seq];
      default:
        return [block.seq];
    }
  });
}

describe('MissionLog', () => {
  test('drops events whose seq it already holds', () => {
    const log = new MissionLog();
    expect(log.add(status(1, 'queued', null))).toBe(true);
    expect(log.add(status(1, 'queued', null))).toBe(false);
    log.takeSnapshot();
    expect(log.add(status(1, 'queued', null))).toBe(false);
    expect(log.size).toBe(1);
  });

  test('shows only the dense prefix and resumes after the highest contiguous seq', () => {
    const log = new MissionLog();
    log.add(status(1, 'queued', null));
    log.add(out(3, 'three'));
    expect(log.contiguousSeq).toBe(1);
    expect(renderedSeqs(log.takeSnapshot()!.blocks)).toEqual([1]);
    expect(log.takeSnapshot()).toBeNull();

    log.add(status(2, 'running', 'queued'));
    expect(log.contiguousSeq).toBe(3);
    const snapshot = log.takeSnapshot()!;
    expect(renderedSeqs(snapshot.blocks)).toEqual([1, 2, 3]);
    expect(snapshot.shownSeq).toBe(3);
    expect(snapshot.lastStatus?.info.status).toBe('running');
  });

  test('joins a partial piece with the next piece of the same stream only', () => {
    const log = new MissionLog();
    log.add(out(1, 'aaa', { partial: true }));
    log.add({ ...out(2, 'oops'), payload: { stream: 'stderr', text: 'oops' } });
    log.add(out(3, 'bbb'));
    log.add(out(4, 'next line'));
    const [block] = log.takeSnapshot()!.blocks;
    expect(block?.kind).toBe('output');
    if (block?.kind !== 'output') return;
    expect(block.lines.map((line) => [line.stream, line.pieces.map((piece) => piece.text).join('')])).toEqual([
      ['stdout', 'aaabbb'],
      ['stderr', 'oops'],
      ['stdout', 'next line'],
    ]);
  });

  test('keeps untouched blocks identical between snapshots so they are not re-rendered', () => {
    const log = new MissionLog();
    let seq = 0;
    log.add(status(++seq, 'running', 'provisioning'));
    for (let line = 0; line < LINES_PER_CHUNK + 5; line += 1) log.add(out(++seq, `line ${line}`));
    const first = log.takeSnapshot()!;
    expect(first.blocks.map((block) => block.kind)).toEqual(['status', 'output', 'output']);

    log.add(out(++seq, 'one more'));
    const second = log.takeSnapshot()!;
    expect(second.blocks[0]).toBe(first.blocks[0]);
    expect(second.blocks[1]).toBe(first.blocks[1]);
    expect(second.blocks[2]).not.toBe(first.blocks[2]);
  });

  test('marks invalid UTF-8 and renders unknown or malformed events generically', () => {
    const log = new MissionLog();
    log.add(out(1, 'bad \ufffd', { invalidUtf8: true }));
    log.add({ missionId: 'm1', seq: 2, ts, type: 'agent.message', payload: { text: 'hello' } });
    log.add({ missionId: 'm1', seq: 3, ts, type: 'process.output', payload: { stream: 'nowhere' } });
    log.add({ missionId: 'm1', seq: 4, ts, type: 'mission.result', payload: { outcome: 'exited', exitCode: 0, signal: null } });
    const blocks = log.takeSnapshot()!.blocks;
    expect(blocks.map((block) => block.kind)).toEqual(['output', 'event', 'event', 'result']);
    const output = blocks[0];
    expect(output?.kind === 'output' && output.lines[0]?.pieces[0]?.invalidUtf8).toBe(true);
  });

  test('steps over the holes event retention left, but still waits for a gap above them', () => {
    const log = new MissionLog();
    log.markPruned(31);
    // Only the result (30) and the final status (31) of 1..31 are left; 33 came before 32.
    log.add({ missionId: 'm1', seq: 30, ts, type: 'mission.result', payload: { outcome: 'exited', exitCode: 0, signal: null } });
    log.add(status(31, 'completed', 'running'));
    log.add(out(33, 'after a follow-up'));
    const snapshot = log.takeSnapshot()!;
    expect(renderedSeqs(snapshot.blocks)).toEqual([30, 31]);
    expect(snapshot.lastStatus?.info.status).toBe('completed');
    expect(log.contiguousSeq).toBe(31);

    log.add(status(32, 'queued', 'completed'));
    expect(renderedSeqs(log.takeSnapshot()!.blocks)).toEqual([30, 31, 32, 33]);
    expect(log.contiguousSeq).toBe(33);
  });

  test('pairs a tool call with its result: in one row when adjacent, in its own row when events came between', () => {
    const call = (seq: number, callId: string): MissionEvent => ({ missionId: 'm1', seq, ts, type: 'tool.call', payload: { callId, name: 'Bash', input: { command: 'ls' } } });
    const result = (seq: number, callId: string, isError = false): MissionEvent => ({ missionId: 'm1', seq, ts: '2026-01-01T00:00:02.500Z', type: 'tool.result', payload: { callId, output: 'a\nb', isError } });
    const log = new MissionLog();
    for (const event of [status(1, 'running', 'queued'), call(2, 'a'), result(3, 'a'), call(4, 'b'), call(5, 'c'), result(6, 'b', true), out(7, 'x'), result(8, 'c')]) log.add(event);
    const blocks = log.takeSnapshot()!.blocks;
    expect(renderedSeqs(blocks)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const tools = blocks.filter((block) => block.kind === 'tool');
    expect(tools.map((tool) => [tool.seq, tool.result?.seq, tool.resultInRow, tool.result?.isError])).toEqual([
      [2, 3, true, false],
      [4, 6, false, true],
      [5, 8, false, false],
    ]);
    expect(log.heldSeqs()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test('a result that arrives in a later batch updates its call block and no other block', () => {
    const log = new MissionLog();
    log.add(status(1, 'running', 'queued'));
    log.add({ missionId: 'm1', seq: 2, ts, type: 'tool.call', payload: { callId: 'a', name: 'Read', input: { path: 'x' } } });
    const first = log.takeSnapshot()!.blocks;
    log.add({ missionId: 'm1', seq: 3, ts, type: 'tool.result', payload: { callId: 'a', output: 'ok', isError: false } });
    const second = log.takeSnapshot()!.blocks;
    expect(second[0]).toBe(first[0]);
    expect(second[1]).not.toBe(first[1]);
    expect(second).toHaveLength(2);
  });

  test('folds consecutive deltas into one run, keeping every seq in order', () => {
    const delta = (seq: number, text: string): MissionEvent => ({ missionId: 'm1', seq, ts, type: 'agent.delta', payload: { text } });
    const log = new MissionLog();
    for (const event of [delta(1, 'Hel'), delta(2, 'lo'), { missionId: 'm1', seq: 3, ts, type: 'agent.message', payload: { text: 'Hello' } } as MissionEvent, delta(4, 'Bye')]) log.add(event);
    const blocks = log.takeSnapshot()!.blocks;
    expect(blocks.map((block) => block.kind)).toEqual(['deltas', 'event', 'deltas']);
    expect(blocks[0]).toMatchObject({ seqs: [1, 2], text: 'Hello' });
    expect(renderedSeqs(blocks)).toEqual([1, 2, 3, 4]);
  });
});
