import type { AgentLaunch } from './adapter.ts';

/**
 * Runs the CLI of `launch` with the prompt file as its stdin, through `sh -c 'exec ...'` (the
 * shell replaces itself, so the runner still signals the CLI's own process group). For CLIs whose
 * argv mangles a prompt: OpenCode wraps words with spaces in quotes and crashes on a numeric word,
 * pi takes a leading `-` for a flag and a leading `@` for a file. Both read piped stdin verbatim.
 */
export function launchWithPromptOnStdin(launch: AgentLaunch, promptPath: string, prompt: string): AgentLaunch {
  return {
    ...launch,
    command: '/bin/sh',
    args: ['-c', 'prompt=$1; shift; exec "$@" < "$prompt"', 'sh', promptPath, launch.command, ...launch.args],
    files: [...(launch.files ?? []), { path: promptPath, content: prompt }],
  };
}
