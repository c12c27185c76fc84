import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { parseEnv } from './env.ts';
import { buildServer } from './server.ts';

/**
 * Spawned by an agent CLI (or the worker) over stdio inside the workspace container; the agent's
 * MCP registration sets the mission env (env.ts).
 */
try {
  buildServer(parseEnv(process.env))
    .connect(new StdioServerTransport())
    .catch(exitWith);
} catch (error) {
  exitWith(error);
}

function exitWith(error: unknown): never {
  process.stderr.write(`workspace-mcp: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
