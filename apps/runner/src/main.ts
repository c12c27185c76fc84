import { cancel } from './cancel.command.ts';
import { deliverAnswer, deliverMessage } from './deliver.command.ts';
import { files } from './files/files.command.ts';
import { gitCommand } from './git/git.command.ts';
import { follow } from './follow.command.ts';
import { launch } from './launch.command.ts';
import { filesForCommand } from './mission-files.ts';

/**
 * The in-container runner. The worker calls it through `docker exec`:
 *   launch --after-seq N [--follow-only]
 *                             spec on stdin; supervise the agent (first launch only) and stream its log
 *   follow ID --after-seq N [--attempt A]   stream the log after N until the attempt's result
 *   cancel ID --by ACTOR [--reason R] [--attempt A]   stop the agent's process group
 *   message ID [--attempt A]  a follow-up (InboxMessage JSON on stdin) into the attempt's inbox
 *   answer ID [--attempt A]   a decision or answer (ChannelResponse JSON on stdin) to a pending request
 *   files list|read|write PATH  the file browser's operations, confined to /workspace (files/files.command.ts)
 *   git                       one git operation (RunnerGitRequest JSON on stdin; git/git.command.ts)
 * Without --attempt a command acts on the mission's newest attempt.
 */
function readFlag(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

function printJson(value: unknown): number {
  process.stdout.write(`${JSON.stringify(value)}\n`);
  return 0;
}

async function readStdinText(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function readStdinJson(): Promise<never | Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
}

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  const afterSeq = Number(readFlag(args, '--after-seq') ?? 0);
  const attempt = readFlag(args, '--attempt');
  switch (command) {
    case 'launch':
      return launch(afterSeq, args.includes('--follow-only'));
    case 'follow':
      return follow(filesForCommand(args[0]!, attempt), args[0]!, afterSeq);
    case 'cancel':
      return printJson(cancel(filesForCommand(args[0]!, attempt), readFlag(args, '--by') ?? 'unknown', readFlag(args, '--reason')));
    case 'message':
      return printJson(deliverMessage(filesForCommand(args[0]!, attempt), (await readStdinJson()) as never));
    case 'answer':
      return printJson(deliverAnswer(filesForCommand(args[0]!, attempt), (await readStdinJson()) as never));
    case 'files':
      return files(args);
    case 'git':
      return gitCommand(await readStdinText());
    default:
      process.stderr.write('usage: runner launch|follow|cancel|message|answer|files|git\n');
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`runner: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
