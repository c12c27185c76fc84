import { StringDecoder } from 'node:string_decoder';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  TerminalControlMessage,
  TerminalInputMessage,
  TerminalSessionRecord,
  terminalChannel,
  terminalLeasesKey,
  terminalSessionsKey,
  tmuxSessionName,
  type TerminalExitReason,
  type TerminalOpenJob,
  type TerminalOpenResult,
  type TerminalStreamMessage,
} from '@garrison/core';
import type { Db } from '@garrison/db';
import type { ContainerRuntime, TtySession } from '../runtime/container-runtime.ts';
import { ATTACH_SCRIPT, REATTACH_HISTORY_LINES, TERMINAL_ENV } from './attach-script.ts';

export interface TerminalDeps {
  db: Db;
  runtime: ContainerRuntime;
  /** Publishes output; a second, dedicated connection subscribes to input and control. */
  redis: Redis;
  subscriber: Redis;
  prefix: string;
  hostId: string;
  log: Logger;
}

interface Attach {
  sessionId: string;
  workspaceId: string;
  containerId: string;
  attachId: string;
  tty: TtySession;
  /** Set when we end the attach on purpose; otherwise the exit is examined. */
  reason: TerminalExitReason | null;
  /** A resize in flight: keystrokes typed after it wait for it, so the shell sees them in order. */
  pending: Promise<void> | null;
}

/** Typing is activity for the idle reaper, recorded at most this often per workspace. */
const ACTIVITY_EVERY_MS = 60_000;
const TMUX_CALL_MS = 10_000;

/**
 * The web terminals this worker serves: one `docker exec` TTY per attached session, attached to
 * the session's tmux inside the container (uid 1000). Input and control arrive on the session's
 * Redis channels and act only on the attach they name; output goes to `:out` for the API nodes.
 */
export class TerminalSessions {
  private readonly attaches = new Map<string, Attach>();
  private readonly lastActivity = new Map<string, number>();
  private closing = false;

  constructor(private readonly deps: TerminalDeps) {
    deps.subscriber.on('message', (channel: string, message: string) => this.route(channel, message));
  }

  get size(): number {
    return this.attaches.size;
  }

  async open(job: TerminalOpenJob): Promise<TerminalOpenResult> {
    const container = await this.deps.runtime.inspectWorkspaceContainer(job.workspaceId);
    if (!container?.running || container.paused) {
      return {
        ok: false,
        code: 'invalid_workspace_state',
        message: `The workspace's container is ${container?.paused ? 'paused; resume' : 'not running; start'} the workspace to open a terminal.`,
      };
    }
    const previous = this.attaches.get(job.sessionId);
    if (previous) this.end(previous, 'detached');

    const tty = await this.deps.runtime.execTty(
      container.id,
      ['sh', '-c', ATTACH_SCRIPT, 'garrison-terminal', tmuxSessionName(job.sessionId), String(REATTACH_HISTORY_LINES), String(job.rows)],
      { cols: job.cols, rows: job.rows, env: TERMINAL_ENV },
    );
    const attach: Attach = { sessionId: job.sessionId, workspaceId: job.workspaceId, containerId: container.id, attachId: job.attachId, tty, reason: null, pending: null };
    this.attaches.set(job.sessionId, attach);
    // Subscribed before we answer: the API sends input only after our answer.
    await this.deps.subscriber.subscribe(this.channel(job.sessionId, 'in'), this.channel(job.sessionId, 'ctl'));

    const decoder = new StringDecoder('utf8');
    tty.output.on('data', (chunk: Buffer) => {
      const data = decoder.write(chunk);
      if (data) this.publish(attach.sessionId, { type: 'output', attachId: attach.attachId, data });
    });
    void tty.exited.then((code) => this.onExited(attach, code));
    tty.write('\r'); // the attach script's go: we are listening now
    this.markActive(job.workspaceId, true);
    this.deps.log.info({ sessionId: job.sessionId, workspaceId: job.workspaceId }, 'terminal attached');
    return { ok: true };
  }

  /** Ends the shell of a session (closed by its owner, or idle): its tmux session is killed. */
  async kill(sessionId: string, workspaceId: string, reason: 'closed' | 'idle'): Promise<void> {
    const attach = this.attaches.get(sessionId);
    // The first to end it names the reason (a close and a sweep may meet).
    if (attach) attach.reason ??= reason;
    const container = await this.deps.runtime.inspectWorkspaceContainer(workspaceId);
    if (container?.running && !container.paused) {
      await this.deps.runtime.execCollect(container.id, ['tmux', 'kill-session', '-t', `=${tmuxSessionName(sessionId)}`], TMUX_CALL_MS).catch(() => {});
    }
    attach?.tty.close();
    await this.forget(sessionId);
  }

  /**
   * Stops serving without ending any shell: the API hears `lost` and its clients reattach
   * through whichever worker takes their next open request.
   */
  async close(): Promise<void> {
    this.closing = true;
    const attaches = [...this.attaches.values()];
    this.attaches.clear();
    await Promise.all(
      attaches.map((attach) =>
        this.deps.redis
          .publish(this.channel(attach.sessionId, 'out'), JSON.stringify({ type: 'exit', attachId: attach.attachId, code: null, reason: 'lost' } satisfies TerminalStreamMessage))
          .catch(() => 0),
      ),
    );
    for (const attach of attaches) attach.tty.close();
    this.deps.subscriber.disconnect();
  }

  /** After a restart: clients attached through this host's previous worker reattach. */
  async announceRestart(): Promise<void> {
    const records = await this.deps.redis.hgetall(terminalSessionsKey(this.deps.prefix));
    for (const [sessionId, raw] of Object.entries(records)) {
      const record = parseRecord(raw);
      if (record?.hostId === this.deps.hostId) this.publish(sessionId, { type: 'exit', attachId: '*', code: null, reason: 'lost' });
    }
  }

  private route(channel: string, message: string): void {
    const match = /:terminal:([^:]+):(in|ctl)$/.exec(channel);
    const attach = match ? this.attaches.get(match[1]!) : undefined;
    if (!match || !attach) return;
    try {
      if (match[2] === 'in') {
        const input = TerminalInputMessage.parse(JSON.parse(message));
        if (input.attachId !== attach.attachId) return;
        if (attach.pending) this.inOrder(attach, async () => attach.tty.write(input.data));
        else attach.tty.write(input.data);
        this.markActive(attach.workspaceId);
        return;
      }
      const control = TerminalControlMessage.parse(JSON.parse(message));
      if (control.attachId !== attach.attachId) return;
      this.control(attach, control);
    } catch (error) {
      this.deps.log.warn({ err: error, channel }, 'unreadable terminal message skipped');
    }
  }

  private control(attach: Attach, control: TerminalControlMessage): void {
    switch (control.type) {
      case 'resize':
        this.inOrder(attach, () => attach.tty.resize(control.cols, control.rows));
        return;
      case 'pause':
        attach.tty.output.pause();
        return;
      case 'resume':
        attach.tty.output.resume();
        return;
      case 'detach':
        this.end(attach, 'detached');
        return;
      case 'close':
        void this.kill(attach.sessionId, attach.workspaceId, 'closed');
        return;
    }
  }

  private inOrder(attach: Attach, step: () => Promise<void>): void {
    const next = (attach.pending ?? Promise.resolve()).then(step).catch(() => {});
    attach.pending = next;
    void next.then(() => {
      if (attach.pending === next) attach.pending = null;
    });
  }

  /** Ends one attach and leaves the shell running in tmux. */
  private end(attach: Attach, reason: TerminalExitReason): void {
    attach.reason = reason;
    attach.tty.close();
  }

  private async onExited(attach: Attach, code: number | null): Promise<void> {
    if (this.closing) return;
    if (this.attaches.get(attach.sessionId) === attach) {
      this.attaches.delete(attach.sessionId);
      await this.deps.subscriber.unsubscribe(this.channel(attach.sessionId, 'in'), this.channel(attach.sessionId, 'ctl')).catch(() => {});
    }
    let reason = attach.reason;
    if (reason === null) {
      // Nobody here ended it: the shell exited, the container stopped, or another attach took
      // the tmux session over (tmux -D). Only in the last case does the shell live on.
      reason = (await this.tmuxSessionAlive(attach)) ? 'detached' : 'exited';
      if (reason === 'exited') await this.forget(attach.sessionId);
    }
    this.publish(attach.sessionId, { type: 'exit', attachId: attach.attachId, code, reason });
    this.deps.log.info({ sessionId: attach.sessionId, reason, code }, 'terminal attach ended');
  }

  private async tmuxSessionAlive(attach: Attach): Promise<boolean> {
    const container = await this.deps.runtime.inspectWorkspaceContainer(attach.workspaceId).catch(() => null);
    if (!container?.running || container.paused) return false;
    const result = await this.deps.runtime
      .execCollect(container.id, ['tmux', 'has-session', '-t', `=${tmuxSessionName(attach.sessionId)}`], TMUX_CALL_MS)
      .catch(() => null);
    return result?.exitCode === 0;
  }

  private async forget(sessionId: string): Promise<void> {
    await this.deps.redis
      .multi()
      .hdel(terminalSessionsKey(this.deps.prefix), sessionId)
      .zrem(terminalLeasesKey(this.deps.prefix), sessionId)
      .exec()
      .catch(() => {});
  }

  private publish(sessionId: string, message: TerminalStreamMessage): void {
    this.deps.redis.publish(this.channel(sessionId, 'out'), JSON.stringify(message)).catch((error: unknown) => {
      this.deps.log.warn({ err: error, sessionId }, 'terminal output not published');
    });
  }

  private channel(sessionId: string, kind: 'in' | 'out' | 'ctl'): string {
    return terminalChannel(this.deps.prefix, sessionId, kind);
  }

  /** A person typing is activity: the idle reaper must not stop the workspace under them. */
  private markActive(workspaceId: string, now = false): void {
    const last = this.lastActivity.get(workspaceId) ?? 0;
    if (!now && Date.now() - last < ACTIVITY_EVERY_MS) return;
    this.lastActivity.set(workspaceId, Date.now());
    this.deps.db.prisma.workspace
      .updateMany({ where: { id: workspaceId, status: 'running' }, data: { lastActiveAt: new Date() } })
      .catch((error: unknown) => this.deps.log.warn({ err: error, workspaceId }, 'lastActiveAt not updated'));
  }
}

export function parseRecord(raw: string | null | undefined): TerminalSessionRecord | null {
  if (!raw) return null;
  try {
    const parsed = TerminalSessionRecord.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
