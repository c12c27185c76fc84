import { spawn } from 'node:child_process';
import { z } from 'zod';
import { capText } from '../output-cap.ts';
import { ok, type ToolResult } from '../tool-result.ts';
import { resolveInWorkspace } from '../workspace-paths.ts';
import type { ToolContext } from './tool-context.ts';

const MAX_OUTPUT_CHARS = 64 * 1024;

export const bashInput = {
  command: z.string().min(1).describe('Shell command, run by bash -lc'),
  cwd: z.string().optional().describe('Working directory inside the workspace (default: its root)'),
  timeoutSeconds: z.number().int().min(1).max(600).optional().describe('Kill the command after this long (default 120)'),
};

/** Runs a command in its own process group so a timeout also ends whatever it started. */
export async function runBash(context: ToolContext, input: { command: string; cwd?: string; timeoutSeconds?: number }): Promise<ToolResult> {
  const cwd = await resolveInWorkspace(context.root, input.cwd ?? '.');
  const timeoutMs = (input.timeoutSeconds ?? 120) * 1000;
  return new Promise((resolve) => {
    const child = spawn('/bin/bash', ['-lc', input.command], { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    // Bytes are kept (up to a bound) and decoded once at the end, so a character split across
    // two chunks survives; the command itself runs on however much it prints.
    const stdout = boundedBuffer(MAX_OUTPUT_CHARS * 4);
    const stderr = boundedBuffer(MAX_OUTPUT_CHARS * 4);
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const lines = [
        timedOut ? `exit: timed out after ${timeoutMs / 1000}s (killed)` : `exit: ${code ?? `signal ${signal}`}`,
        `stdout:\n${capText(stdout.text(), MAX_OUTPUT_CHARS)}`,
        `stderr:\n${capText(stderr.text(), MAX_OUTPUT_CHARS)}`,
      ];
      const result = ok(lines.join('\n'));
      if (timedOut || code !== 0) result.isError = true;
      resolve(result);
    });
  });
}

/** Keeps the first `limit` bytes of a stream and counts the rest. */
function boundedBuffer(limit: number) {
  const chunks: Buffer[] = [];
  let kept = 0;
  let dropped = 0;
  return {
    push(chunk: Buffer): void {
      const room = limit - kept;
      if (room <= 0) {
        dropped += chunk.length;
        return;
      }
      const piece = chunk.length > room ? chunk.subarray(0, room) : chunk;
      chunks.push(piece);
      kept += piece.length;
      dropped += chunk.length - piece.length;
    },
    text(): string {
      const head = Buffer.concat(chunks).toString('utf8');
      return dropped > 0 ? `${head}\n[truncated: ${dropped} more bytes not kept]` : head;
    },
  };
}
