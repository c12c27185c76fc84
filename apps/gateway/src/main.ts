import { pino } from 'pino';
import { parseGatewayEnv } from './env.ts';
import { startGateway } from './server.ts';

const env = parseGatewayEnv(process.env);
const log = pino({ name: 'gateway', level: env.LOG_LEVEL });
const gateway = await startGateway({ env, log });

async function stop(signal: string): Promise<void> {
  log.info({ signal }, 'gateway stopping; calls in flight finish first');
  await gateway.close();
  process.exit(0);
}
process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));
