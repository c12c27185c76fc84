import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { buildServer } from './server.ts';

/** Spawned by an agent CLI (or the worker) over stdio inside the workspace container. */
const root = process.env.GARRISON_WORKSPACE_DIR ?? '/workspace';
buildServer({ root })
  .connect(new StdioServerTransport())
  .catch((error: unknown) => {
    process.stderr.write(`workspace-mcp: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
