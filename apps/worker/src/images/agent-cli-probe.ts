import type { Logger } from 'pino';
import { AGENTS } from '@garrison/core';
import { findDefaultTemplate, type Db } from '@garrison/db';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';

/** Every CLI an agent of the catalog needs; names are plain words, safe inside the shell script. */
const WANTED = Object.values(AGENTS).flatMap((agent) => (agent.command ? [agent.command] : []));
const PROBE_SCRIPT = `for c in ${WANTED.join(' ')}; do command -v "$c" >/dev/null 2>&1 && echo "$c"; done; exit 0`;
const PROBE_TIMEOUT_MS = 30_000;

/**
 * Which agent CLIs the default workspace image has, found by running it once. The API cannot look
 * (it never talks to Docker), so the worker probes at start and after each image build and
 * reports the answer in its heartbeat; GET /api/v1/agents reads it from there.
 */
export class AgentCliProbe {
  private found: string[] | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly deps: { runtime: ContainerRuntime; db: Db; log: Logger; fallbackImage: string }) {}

  /** The CLIs found by the last successful probe; null until one succeeded. */
  commands(): string[] | null {
    return this.found;
  }

  /** Probes now; a call while a probe runs joins it. Never rejects: a failed probe keeps the last answer. */
  refresh(): Promise<void> {
    this.running ??= this.probe().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** At start: probe unless a build already did. */
  async ensureProbed(): Promise<void> {
    if (this.found === null) await this.refresh();
  }

  private async probe(): Promise<void> {
    const image = (await findDefaultTemplate(this.deps.db).catch(() => null))?.image ?? this.deps.fallbackImage;
    try {
      const result = await this.deps.runtime.runOnce(image, ['/bin/sh', '-c', PROBE_SCRIPT], PROBE_TIMEOUT_MS);
      if (result.exitCode !== 0) throw new Error(`probe exited ${result.exitCode}: ${result.stderr.slice(-300)}`);
      const lines = new Set(result.stdout.split('\n').map((line) => line.trim()));
      this.found = WANTED.filter((command) => lines.has(command));
      this.deps.log.info({ image, agentCommands: this.found }, 'agent CLIs in the workspace image');
    } catch (error) {
      this.deps.log.warn({ err: error, image }, 'could not check which agent CLIs the workspace image has');
    }
  }
}
