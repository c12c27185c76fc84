import { describe, expect, it } from 'vitest';
import { EventType, MissionEvent, ProcessOutputPayload, RunnerEvent, SubscribeRequest } from '../src/index.ts';

const base = { seq: 1, ts: '2026-01-01T00:00:00.000Z', type: 'process.output', payload: { stream: 'stdout', text: 'hi' } };

describe('event schema', () => {
  it('accepts a runner event and a mission event', () => {
    expect(RunnerEvent.parse(base)).toEqual(base);
    expect(MissionEvent.parse({ ...base, missionId: 'm1' }).missionId).toBe('m1');
  });

  it('keeps seq a positive integer', () => {
    expect(RunnerEvent.safeParse({ ...base, seq: 0 }).success).toBe(false);
    expect(RunnerEvent.safeParse({ ...base, seq: 1.5 }).success).toBe(false);
  });

  it('knows every event type of the architecture', () => {
    expect(EventType.options).toEqual([
      'mission.status', 'agent.message', 'agent.delta', 'agent.thinking', 'agent.session', 'tool.call', 'tool.result',
      'process.output', 'file.changed', 'approval.requested', 'approval.resolved', 'input.requested',
      'input.provided', 'usage', 'error', 'mission.result',
    ]);
    expect(RunnerEvent.safeParse({ ...base, type: 'shell.exec' }).success).toBe(false);
  });

  it('marks partial and non-UTF-8 output explicitly', () => {
    expect(ProcessOutputPayload.parse({ stream: 'stderr', text: 'x', partial: true, invalidUtf8: true })).toMatchObject({ partial: true, invalidUtf8: true });
    expect(ProcessOutputPayload.safeParse({ stream: 'stdin', text: 'x' }).success).toBe(false);
  });

  it('defaults a subscription to the start of the mission', () => {
    expect(SubscribeRequest.parse({ missionId: 'm1' })).toEqual({ missionId: 'm1', afterSeq: 0 });
    expect(SubscribeRequest.safeParse({ missionId: 'm1', afterSeq: -1 }).success).toBe(false);
  });
});
