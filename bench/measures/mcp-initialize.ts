import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { workspaceContainerName } from '@garrison/core';
import { ExecStdioTransport } from '@garrison/testkit';
import type { BenchContext } from '../lib/context.ts';
import { execStdio, execToFirstOutput } from '../lib/docker.ts';
import { floorOf, ratio, summarize } from '../lib/stats.ts';

export const MCP_COMMAND = ['node', '/opt/garrison/workspace-mcp.cjs'];

/** Exec start of the workspace MCP server and the MCP `initialize` handshake over the exec stream. */
export async function connectMcp(container: string): Promise<Client> {
  const client = new Client({ name: 'garrison-bench', version: '1.0.0' });
  await client.connect(new ExecStdioTransport(await execStdio(container, MCP_COMMAND)));
  return client;
}

/**
 * `mcp_initialize_ms`: from exec create to the answered `initialize` (SDK client over
 * ExecStdioTransport). The floor is a bare Node start over the same kind of exec, which is most
 * of it: the server is a Node process started per session.
 */
export async function measureMcpInitialize(ctx: BenchContext, workspaceId: string, n: number) {
  const container = workspaceContainerName(workspaceId);
  const samples: number[] = [];
  const nodeFloor: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const started = performance.now();
    const client = await connectMcp(container);
    samples.push(performance.now() - started);
    await client.close();
    nodeFloor.push(await execToFirstOutput(container, ['node', '-e', 'process.stdout.write("x")']));
  }
  ctx.progress(`mcp_initialize: ${n}/${n}`);
  const figure = summarize(samples);
  const floor = floorOf('node_exec_api_ms', 'dockerode exec of a Node one-liner printing one byte -> first output byte (a bare Node start in the container)', nodeFloor);
  return {
    ...figure,
    basis: 'dockerode exec create of `node /opt/garrison/workspace-mcp.cjs` -> MCP initialize answered (SDK Client.connect over ExecStdioTransport)',
    floor,
    ratio_p50: ratio(figure.p50, floor.p50),
  };
}
