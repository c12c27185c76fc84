import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventLog } from '../src/event-log.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'garrison-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function lines(): { seq: number; type: string; payload: Record<string, unknown> }[] {
  return readFileSync(join(dir, 'events.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
}

describe('EventLog', () => {
  it('coalesces the deltas of one tick into one event, keeping order and dense seq', () => {
    const log = new EventLog(join(dir, 'events.jsonl'), 7);
    for (const piece of ['Hel', 'lo', ', ', 'world']) log.append('agent.delta', { text: piece });
    log.append('tool.call', { callId: 'c1', name: 'bash', input: {} });
    log.append('agent.delta', { text: 'after' });
    log.append('agent.delta', { text: ' the call' });
    log.close();
    expect(lines().map((line) => [line.seq, line.type, line.payload.text ?? line.payload.name])).toEqual([
      [7, 'agent.delta', 'Hello, world'],
      [8, 'tool.call', 'bash'],
      [9, 'agent.delta', 'after the call'],
    ]);
  });

  it('starts a new delta past the event text cap, and never merges across a flush', () => {
    const log = new EventLog(join(dir, 'events.jsonl'), 1);
    const big = 'x'.repeat(40 * 1024);
    log.append('agent.delta', { text: big });
    log.append('agent.delta', { text: big });
    log.flush();
    log.append('agent.delta', { text: 'next tick' });
    log.close();
    expect(lines().map((line) => [line.seq, (line.payload.text as string).length])).toEqual([
      [1, big.length],
      [2, big.length],
      [3, 'next tick'.length],
    ]);
  });

  it('redacts a secret even when the agent streamed it in pieces within a tick', () => {
    const log = new EventLog(join(dir, 'events.jsonl'), 1, () => {}, ['gwt_secret_token']);
    log.append('agent.delta', { text: 'my key: gwt_sec' });
    log.append('agent.delta', { text: 'ret_token!' });
    log.close();
    expect(lines()[0]!.payload.text).toBe('my key: [redacted]!');
  });
});
