import { pino } from 'pino';
import { parseApiEnv } from './env.ts';
import { startApiServer } from './server.ts';

const env = parseApiEnv(process.env);
const log = pino({ name: 'api', level: env.LOG_LEVEL });
const api = await startApiServer(env, log);

async function stop(signal: string): Promise<void> {
  log.info({ signal }, 'api stopping');
  await api.close();
  process.exit(0);
}
process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));
