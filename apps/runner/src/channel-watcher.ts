import { readFileSync, readdirSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { ChannelRequest, ChannelResponse, InboxMessage } from '@garrison/core/mission-channel';
import type { EventLog } from './event-log.ts';
import type { MissionFiles } from './mission-files.ts';

const SCAN_MS = 250;

type ActiveStatus = 'running' | 'waiting_approval' | 'waiting_input';

/**
 * The runner's side of the mission channel (packages/core/src/mission-channel.ts). The workspace
 * MCP server writes requests, the worker writes responses and follow-ups; this turns each into
 * events with the next seq (the runner is the log's only writer) and moves the mission between
 * running and waiting with `mission.status` events, which the worker applies when it stores them.
 */
export class ChannelWatcher {
  private readonly requests = new Map<string, ChannelRequest>();
  private readonly resolved = new Set<string>();
  private readonly inboxSeen = new Set<string>();
  private readonly undelivered: InboxMessage[] = [];
  private status: ActiveStatus = 'running';
  private timer: NodeJS.Timeout | null = null;
  private watchers: FSWatcher[] = [];
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly files: MissionFiles,
    private readonly log: EventLog,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.scan(), SCAN_MS);
    for (const dir of [this.files.requests, this.files.responses, this.files.inbox]) {
      try {
        this.watchers.push(watch(dir, () => this.scan()));
      } catch {
        // No inotify: the interval alone paces the channel.
      }
    }
    this.scan();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    for (const watcher of this.watchers) watcher.close();
    this.watchers = [];
    this.scan();
  }

  /** A question or an approval waits for a person: the agent is not silent, it is waiting. */
  hasPending(): boolean {
    return this.pendingRequests().length > 0;
  }

  /** Follow-ups received and not yet given to the agent, oldest first; taking them delivers them. */
  takeMessages(): InboxMessage[] {
    this.scan();
    return this.undelivered.splice(0);
  }

  hasMessages(): boolean {
    return this.undelivered.length > 0;
  }

  /** Called after each scan that found something (a follow-up may end a wait between turns). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  scan(): void {
    let changed = false;
    for (const request of readJsonFiles<ChannelRequest>(this.files.requests)) {
      if (this.requests.has(request.id) || !isRequest(request)) continue;
      this.requests.set(request.id, request);
      changed = true;
      if (request.kind === 'approval') {
        this.log.append('approval.requested', { approvalId: request.id, tool: request.tool, input: request.input ?? null, summary: request.summary });
      } else {
        this.log.append('input.requested', { inputId: request.id, question: request.question, ...(request.options ? { options: request.options } : {}) });
      }
    }
    for (const response of readJsonFiles<ChannelResponse>(this.files.responses)) {
      const request = this.requests.get(response.id);
      if (!request || this.resolved.has(response.id) || request.kind !== response.kind) continue;
      this.resolved.add(response.id);
      changed = true;
      if (response.kind === 'approval') {
        this.log.append('approval.resolved', { approvalId: response.id, decision: response.decision, by: response.by, ...(response.message ? { message: response.message } : {}) });
      } else {
        this.log.append('input.provided', { kind: 'answer', inputId: response.id, text: response.text, by: response.by });
      }
    }
    for (const message of readJsonFiles<InboxMessage>(this.files.inbox).sort((a, b) => String(a.ts).localeCompare(String(b.ts)))) {
      if (this.inboxSeen.has(message.id) || typeof message.text !== 'string') continue;
      this.inboxSeen.add(message.id);
      this.undelivered.push(message);
      changed = true;
      this.log.append('input.provided', { kind: 'follow_up', messageId: message.id, text: message.text, by: message.by });
    }
    this.updateStatus();
    if (changed) for (const listener of this.listeners) listener();
  }

  private pendingRequests(): ChannelRequest[] {
    return [...this.requests.values()].filter((request) => !this.resolved.has(request.id));
  }

  private updateStatus(): void {
    const pending = this.pendingRequests();
    const next: ActiveStatus = pending.some((request) => request.kind === 'approval')
      ? 'waiting_approval'
      : pending.length > 0
        ? 'waiting_input'
        : 'running';
    if (next === this.status) return;
    this.log.append('mission.status', { status: next, previous: this.status, reason: null });
    this.status = next;
  }
}

function isRequest(value: ChannelRequest): boolean {
  if (value.kind === 'approval') return typeof value.tool === 'string' && typeof value.summary === 'string';
  return value.kind === 'input' && typeof value.question === 'string';
}

/** Every complete JSON file of a directory, in name order; half-written (.tmp) and bad files are skipped. */
function readJsonFiles<T extends { id: string }>(dir: string): T[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
  } catch {
    return [];
  }
  const values: T[] = [];
  for (const name of names) {
    try {
      const value = JSON.parse(readFileSync(join(dir, name), 'utf8')) as T;
      if (value && typeof value.id === 'string' && `${value.id}.json` === name) values.push(value);
    } catch {
      // A file that is not JSON is not ours to act on.
    }
  }
  return values;
}
