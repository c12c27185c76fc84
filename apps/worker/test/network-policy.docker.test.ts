import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceContainerName, workspaceNetworkName } from '@garrison/core';
import { freePort, openStackFixture, waitFor, type ApiClient, type RunningStack, type StackFixture } from '@garrison/testkit';

const execFileAsync = promisify(execFile);
let fixture: StackFixture | undefined;
let stack: RunningStack;
let client: ApiClient;
let hostListener: Server;
let hostPort: number;
let neighbourIp: string;

/** Connects from inside the workspace to each target and prints name:open or name:blocked. */
const PROBE = `
const net = require('net');
const targets = JSON.parse(Buffer.from(process.argv[1], 'base64').toString());
Promise.all(targets.map((t) => new Promise((done) => {
  const socket = net.connect({ host: t.host, port: t.port, timeout: 2000 });
  socket.on('connect', () => { socket.destroy(); done(t.name + ':open'); });
  socket.on('timeout', () => { socket.destroy(); done(t.name + ':blocked'); });
  socket.on('error', () => done(t.name + ':blocked'));
}))).then((lines) => console.log(lines.join(' ')));
`;

async function dispatchAndWait(workspaceId: string, prompt: string): Promise<string> {
  const id = (await client.post('/api/v1/missions', { workspaceId, agent: 'shell', prompt })).body.id;
  await waitFor(async () => ['completed', 'failed'].includes((await client.get(`/api/v1/missions/${id}`)).body.status), { timeoutMs: 90_000, what: 'probe mission' });
  const events = (await client.get(`/api/v1/missions/${id}/events?limit=5000`)).body.events;
  return events.filter((e: { type: string }) => e.type === 'process.output').map((e: { payload: { text: string } }) => e.payload.text).join(' ');
}

let made = 0;
async function workspaceWithPolicy(networkPolicy: string): Promise<string> {
  made += 1;
  const template = await client.post('/api/v1/templates', { name: `net-${networkPolicy}-${made}`, networkPolicy });
  expect(template.status).toBe(201);
  const workspaceId = (await client.post('/api/v1/workspaces', { name: `net-${networkPolicy}-${made}`, templateId: template.body.id })).body.id;
  await waitFor(async () => (await client.get(`/api/v1/workspaces/${workspaceId}`)).body.status === 'running', { timeoutMs: 60_000, what: `${networkPolicy} workspace running` });
  return workspaceId;
}

/** The address a workspace would use to reach its host: its network's gateway, or docker0's. */
async function hostAddressFor(workspaceId: string, policy: string): Promise<string> {
  if (policy === 'none') return '172.17.0.1';
  const { stdout } = await execFileAsync('docker', ['network', 'inspect', workspaceNetworkName(workspaceId), '--format', '{{(index .IPAM.Config 0).Gateway}}']);
  return stdout.trim();
}

async function probe(workspaceId: string, policy: string): Promise<Record<string, string>> {
  const host = await hostAddressFor(workspaceId, policy);
  const apiPort = Number(new URL(stack.apiUrl).port);
  const targets = [
    { name: 'host', host, port: hostPort },
    { name: 'api', host, port: apiPort },
    { name: 'postgres', host, port: 5432 },
    { name: 'redis', host, port: 6379 },
    { name: 'gateway', host, port: stack.gatewayPort },
    { name: 'neighbour', host: neighbourIp, port: 7777 },
    { name: 'metadata', host: '169.254.169.254', port: 80 },
  ];
  const script = Buffer.from(PROBE).toString('base64');
  const encodedTargets = Buffer.from(JSON.stringify(targets)).toString('base64');
  const prompt = `node -e "$(echo ${script} | base64 -d)" ${encodedTargets}; timeout 40 npm view zod version --fetch-retries=0 --fetch-timeout=15000 >/dev/null 2>&1 && echo internet:open || echo internet:blocked`;
  const output = await dispatchAndWait(workspaceId, prompt);
  return Object.fromEntries(output.split(/\s+/).filter((part) => part.includes(':')).map((part) => part.split(':') as [string, string]));
}

beforeAll(async () => {
  fixture = await openStackFixture();
  ({ stack, client } = fixture);
  hostPort = await freePort();
  // Probes connect and reset at once; the reset is expected, not an error of the test.
  hostListener = createServer((socket) => {
    socket.on('error', () => {});
    socket.end('hello');
  }).listen(hostPort, '0.0.0.0');
  // A second workspace listening on a port, to prove workspaces cannot reach each other.
  const neighbour = await workspaceWithPolicy('open');
  void client.post('/api/v1/missions', { workspaceId: neighbour, agent: 'shell', prompt: `node -e "require('net').createServer((s) => s.end('hi')).listen(7777)" & sleep 120` });
  const { stdout } = await execFileAsync('docker', ['inspect', workspaceContainerName(neighbour), '--format', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}']);
  neighbourIp = stdout.trim();
});

afterAll(async () => {
  hostListener?.close();
  await fixture?.close();
});

describe('workspace network policies', () => {
  it('open: reaches the host and the internet (the control that shows the probe can see a way out)', async () => {
    const reach = await probe(await workspaceWithPolicy('open'), 'open');
    expect(reach).toMatchObject({ host: 'open', internet: 'open', gateway: 'open' });
  });

  it('egress: reaches the internet, but not the host, the API, Postgres, Redis, metadata or another workspace', async () => {
    const workspaceId = await workspaceWithPolicy('egress');
    expect(await probe(workspaceId, 'egress')).toEqual({
      host: 'blocked', api: 'blocked', postgres: 'blocked', redis: 'blocked', neighbour: 'blocked', metadata: 'blocked', internet: 'open', gateway: 'open',
    });
    // The agent user cannot lift the guard.
    expect(await dispatchAndWait(workspaceId, '/usr/sbin/iptables -F OUTPUT 2>&1 | head -1')).toMatch(/denied|not permitted|Permission/i);
    expect((await probe(workspaceId, 'egress')).host).toBe('blocked');
  });

  it('egress: the guard survives a stop and start (a new namespace gets its rules again)', async () => {
    const workspaceId = await workspaceWithPolicy('egress');
    await client.post(`/api/v1/workspaces/${workspaceId}/stop`);
    await waitFor(async () => (await client.get(`/api/v1/workspaces/${workspaceId}`)).body.status === 'stopped', { timeoutMs: 30_000 });
    await client.post(`/api/v1/workspaces/${workspaceId}/start`);
    await waitFor(async () => (await client.get(`/api/v1/workspaces/${workspaceId}`)).body.status === 'running', { timeoutMs: 30_000 });
    expect((await probe(workspaceId, 'egress')).host).toBe('blocked');
  });

  it('model_only: the model gateway and nothing else, not even the internet; none: nothing at all', async () => {
    const blocked = { host: 'blocked', api: 'blocked', postgres: 'blocked', redis: 'blocked', neighbour: 'blocked', metadata: 'blocked', internet: 'blocked', gateway: 'blocked' };
    expect(await probe(await workspaceWithPolicy('model_only'), 'model_only')).toEqual({ ...blocked, gateway: 'open' });
    expect(await probe(await workspaceWithPolicy('none'), 'none')).toEqual(blocked);
  });
});
