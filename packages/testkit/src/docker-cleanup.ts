import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Removes the containers, volumes and networks a test team created, found by our labels, never by name. */
export async function removeTeamWorkspaces(teamId: string): Promise<void> {
  const filter = `label=dev.garrison.team-id=${teamId}`;
  const containers = (await run('docker', ['ps', '-aq', '--filter', filter])).stdout.split('\n').filter(Boolean);
  if (containers.length > 0) await run('docker', ['rm', '-f', '-v', ...containers]);
  const volumes = (await run('docker', ['volume', 'ls', '-q', '--filter', filter])).stdout.split('\n').filter(Boolean);
  if (volumes.length > 0) await run('docker', ['volume', 'rm', '-f', ...volumes]);
  const networks = (await run('docker', ['network', 'ls', '-q', '--filter', filter])).stdout.split('\n').filter(Boolean);
  if (networks.length > 0) await run('docker', ['network', 'rm', ...networks]);
}

/** Times a raw `docker exec` of the same command: the floor our dispatch is compared with. */
export async function timeDockerExec(container: string, command: string[]): Promise<number> {
  const started = performance.now();
  await run('docker', ['exec', '-u', '1000:1000', container, ...command]);
  return performance.now() - started;
}
