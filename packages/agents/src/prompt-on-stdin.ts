import type { AgentFile } from './adapter.ts';

/**
 * Runs `command args` with the prompt file as its stdin, through `sh -c 'exec ...'` (the shell
 * replaces itself, so the runner still signals the CLI's own process group). For CLIs whose argv
 * mangles a prompt: OpenCode wraps words with spaces in quotes and crashes on a numeric word, pi
 * takes a leading `-` for a flag and a leading `@` for a file. Both read piped stdin verbatim.
 */
export function launchWithPromptOnStdin(command: string, args: string[], promptPath: string, prompt: string): { command: string; args: string[]; file: AgentFile } {
  return {
    command: '/bin/sh',
    args: ['-c', 'prompt=$1; shift; exec "$@" < "$prompt"', 'sh', promptPath, command, ...args],
    file: { path: promptPath, content: prompt },
  };
}
