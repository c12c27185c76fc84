import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GitCredential } from '@garrison/core/runner-git';

export interface GitRun {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** Never ask a person for a password (nobody is there) and never run a URL's transport helper. */
const BASE_ENV = { GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '/bin/false', SSH_ASKPASS: '/bin/false', GIT_CONFIG_NOSYSTEM: '1' };
const SAFE_CONFIG = ['-c', 'protocol.ext.allow=never', '-c', 'core.hooksPath=/dev/null'];
/** Garrison's own commits (settling a mission, merge commits) carry this identity. */
export const GARRISON_IDENTITY = ['-c', 'user.name=Garrison', '-c', 'user.email=garrison@localhost'];

/**
 * Runs one git process. A credential lives only in this process's environment: a token as an
 * http.extraHeader through GIT_CONFIG_COUNT (never written to a config file), an SSH key in a
 * 0600 file under a private temporary directory that is removed when git exits.
 */
export async function runGit(args: string[], options: { cwd?: string; credential?: GitCredential; maxBytes?: number } = {}): Promise<GitRun> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), ...BASE_ENV };
  let keyDir: string | null = null;
  if (options.credential?.kind === 'https_token') {
    const basic = Buffer.from(`x-access-token:${options.credential.token}`).toString('base64');
    Object.assign(env, { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}` });
  } else if (options.credential?.kind === 'ssh_key') {
    keyDir = mkdtempSync(join(tmpdir(), 'garrison-key-'));
    const keyFile = join(keyDir, 'id');
    writeFileSync(keyFile, options.credential.privateKey.endsWith('\n') ? options.credential.privateKey : `${options.credential.privateKey}\n`, { mode: 0o600 });
    const knownHosts = join(process.env.HOME ?? '/tmp', '.ssh-known-hosts-garrison');
    env.GIT_SSH_COMMAND = `ssh -i ${keyFile} -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=${knownHosts}`;
  }
  try {
    return await spawnGit([...SAFE_CONFIG, ...args], env, options.cwd, options.maxBytes ?? 64 * 1024 * 1024);
  } finally {
    if (keyDir) rmSync(keyDir, { recursive: true, force: true });
  }
}

function spawnGit(args: string[], env: Record<string, string>, cwd: string | undefined, maxBytes: number): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (outBytes < maxBytes) out.push(chunk);
      outBytes += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 16 * 1024) stderr += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr }));
  });
}

/** Runs git and returns its trimmed stdout, or throws GitFailure with git's own words. */
export async function gitText(args: string[], options: { cwd?: string; credential?: GitCredential } = {}): Promise<string> {
  const run = await runGit(args, options);
  if (run.code !== 0) throw new GitFailure(`git ${args[0]} failed: ${scrub(run.stderr).trim().slice(0, 800)}`);
  return run.stdout.toString('utf8').trim();
}

export class GitFailure extends Error {
  constructor(
    message: string,
    readonly code: 'git_failed' | 'merge_conflict' | 'not_found' | 'invalid_input' | 'nothing_to_merge' | 'not_fast_forward' = 'git_failed',
    readonly files?: string[],
  ) {
    super(message);
  }
}

/** Git may echo a URL with credentials in it: never pass those on. */
export function scrub(text: string): string {
  return text.replace(/(\w+:\/\/)[^/@\s]+@/g, '$1***@');
}
