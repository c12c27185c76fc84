import { pino } from 'pino';
import { parseWorkerEnv } from './env.ts';
import { startWorker } from './worker.ts';

const env = parseWorkerEnv(process.env);
const log = pino({ name: 'worker', level: env.LOG_LEVEL, base: { hostId: env.GARRISON_HOST_ID } });
const worker = await startWorker(env, log);

async function stop(signal: string): Promise<void> {
  log.info({ signal }, 'worker stopping; running missions keep running in their containers');
  await worker.close();
  process.exit(0);
}
process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));
