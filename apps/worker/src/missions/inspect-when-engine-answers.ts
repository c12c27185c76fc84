import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { ContainerRuntime, ContainerState } from '../runtime/container-runtime.ts';

/** How long a restarting engine may stay silent before a mission's container counts as lost. */
const ENGINE_WAIT_MS = 60_000;

/**
 * An engine that does not answer (it is restarting) says nothing about the container: with
 * live-restore the agent is still running in it, without it the container exited with the code
 * that tells why (143: the engine stopped it). So the mission is judged once the engine answers;
 * only an engine gone for longer than ENGINE_WAIT_MS leaves it "lost" (null) unseen.
 */
export async function inspectWhenEngineAnswers(runtime: ContainerRuntime, workspaceId: string, log: Logger): Promise<ContainerState | null> {
  const deadline = Date.now() + ENGINE_WAIT_MS;
  for (let delay = 250; ; delay = Math.min(delay * 2, 2000)) {
    try {
      return await runtime.inspectWorkspaceContainer(workspaceId);
    } catch (error) {
      if (Date.now() > deadline) {
        log.error({ err: error }, 'the Docker engine did not answer; the mission counts as lost');
        return null;
      }
      log.warn({ err: error, retryInMs: delay }, 'the Docker engine does not answer; asking again before judging the mission');
      await sleep(delay);
    }
  }
}
