#!/usr/bin/env node
// `npm start`: runs api, worker, model gateway and web together on this machine against local
// PostgreSQL, Redis and Docker. Reads .env (never overriding variables already set), applies
// migrations, builds what is missing (workspace image, dashboard), then supervises the four
// processes: if one dies, all stop, so a half-running Garrison never looks healthy.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function loadDotEnv(path) {
  if (!existsSync(path)) return;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = line.match(/^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/);
    // An empty value counts as unset, as the apps treat it.
    if (!match || process.env[match[1]] !== undefined || match[2] === '') continue;
    process.env[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2');
  }
}

loadDotEnv(join(root, '.env'));
// Provider keys are sealed with this key: it must stay the same from one start to the next, so
// a generated one is kept in .env rather than made up on every start.
if (!process.env.GARRISON_SECRET_KEY) {
  const key = randomBytes(32).toString('base64');
  const path = join(root, '.env');
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const line = `GARRISON_SECRET_KEY=${key}`;
  // Fills the empty line copied from .env.example, or adds one.
  const next = /^[ \t]*GARRISON_SECRET_KEY[ \t]*=[ \t]*$/m.test(text)
    ? text.replace(/^[ \t]*GARRISON_SECRET_KEY[ \t]*=[ \t]*$/m, line)
    : `${text}${text && !text.endsWith('\n') ? '\n' : ''}# Written by npm start: seals provider keys at rest. Keep it (INSTALL.md, "Secret key").\n${line}\n`;
  writeFileSync(path, next, { mode: 0o600 });
  process.env.GARRISON_SECRET_KEY = key;
  console.log('[start] generated GARRISON_SECRET_KEY into .env');
}
const env = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/garrison',
  REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  API_PORT: process.env.API_PORT || '3001',
  WEB_PORT: process.env.WEB_PORT || '3000',
  NEXT_TELEMETRY_DISABLED: '1',
};
env.API_URL = process.env.API_URL || `http://127.0.0.1:${env.API_PORT}`;

function step(name, command, args, options = {}) {
  const started = Date.now();
  console.log(`[start] ${name} ...`);
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`[start] ${name} failed; fix the error above and run npm start again.`);
    process.exit(result.status ?? 1);
  }
  console.log(`[start] ${name} done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

step('apply database migrations', 'npm', ['run', '--silent', 'db:migrate']);
const image = env.GARRISON_WORKSPACE_IMAGE || 'garrison/workspace:dev';
if (spawnSync('docker', ['image', 'inspect', image], { stdio: 'ignore' }).status !== 0) {
  step(`build workspace image ${image}`, 'bash', ['docker/build-images.sh']);
}
if (!existsSync(join(root, 'apps/web/.next/BUILD_ID'))) {
  step('build the dashboard', 'npm', ['run', '--silent', 'build', '-w', '@garrison/web']);
}

const children = [];
let stopping = false;

function run(name, command, args, cwd = root) {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (stream, target) => {
    let carry = '';
    stream.on('data', (chunk) => {
      const lines = (carry + chunk.toString()).split('\n');
      carry = lines.pop();
      for (const line of lines) target.write(`${name.padEnd(7)} | ${line}\n`);
    });
  };
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[start] ${name} exited (${signal ?? code}); stopping the others`);
    stop(1);
  });
  children.push(child);
}

function stop(code) {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
  Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve))))).then(() =>
    process.exit(code),
  );
}

run('api', process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts']);
run('worker', process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts']);
run('gateway', process.execPath, ['--import', 'tsx', 'apps/gateway/src/main.ts']);
run('web', process.execPath, [join(root, 'node_modules/next/dist/bin/next'), 'start', '-p', env.WEB_PORT], join(root, 'apps/web'));
console.log(`[start] dashboard: http://localhost:${env.WEB_PORT}  api: ${env.API_URL}  model gateway: :${env.GATEWAY_PORT || 8790}  (Ctrl+C stops all)`);
process.once('SIGINT', () => stop(0));
process.once('SIGTERM', () => stop(0));
