import { workspaceContainerName } from '@garrison/core';
import type { BenchContext } from '../lib/context.ts';
import { summarize } from '../lib/stats.ts';
import { connectMcp } from './mcp-initialize.ts';

/** `mcp_bash_call_ms`: one `bash` tool call (`echo hi`) on an initialized session, call to result. */
export async function measureMcpBashCall(ctx: BenchContext, workspaceId: string, n: number) {
  const client = await connectMcp(workspaceContainerName(workspaceId));
  try {
    const call = async (): Promise<number> => {
      const started = performance.now();
      const result = (await client.callTool({ name: 'bash', arguments: { command: 'echo hi' } })) as { isError?: boolean; content: { text: string }[] };
      const elapsed = performance.now() - started;
      if (result.isError || !result.content[0]?.text.includes('hi')) throw new Error(`bench: bash tool call failed: ${JSON.stringify(result)}`);
      return elapsed;
    };
    for (let i = 0; i < 3; i += 1) await call();
    const samples: number[] = [];
    for (let i = 0; i < n; i += 1) samples.push(await call());
    ctx.progress(`mcp_bash_call: ${n}/${n}`);
    return { ...summarize(samples), basis: 'tools/call bash {command: "echo hi"} on an initialized session over docker exec -> result (3 untimed warm-up calls)' };
  } finally {
    await client.close();
  }
}
