import { cancel } from './cancel.command.ts';
import { files } from './files/files.command.ts';
import { follow } from './follow.command.ts';
import { launch } from './launch.command.ts';

/**
 * The in-container runner. The worker calls it through `docker exec`:
 *   launch --after-seq N [--follow-only]
 *                             spec on stdin; supervise the agent (first launch only) and stream its log
 *   follow ID --after-seq N   stream the log after N until the mission's result
 *   cancel ID --by ACTOR      stop the agent's process group
 *   files list|read|write PATH  the file browser's operations, confined to /workspace (files/files.command.ts)
 */
function readFlag(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  const afterSeq = Number(readFlag(args, '--after-seq') ?? 0);
  switch (command) {
    case 'launch':
      return launch(afterSeq, args.includes('--follow-only'));
    case 'follow':
      return follow(args[0]!, afterSeq);
    case 'cancel':
      process.stdout.write(`${JSON.stringify(cancel(args[0]!, readFlag(args, '--by') ?? 'unknown'))}\n`);
      return 0;
    case 'files':
      return files(args);
    default:
      process.stderr.write('usage: runner launch|follow|cancel|files\n');
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
