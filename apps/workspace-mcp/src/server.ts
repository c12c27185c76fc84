import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { asToolResult } from './tool-result.ts';
import { bashInput, runBash } from './tools/bash.tool.ts';
import { editFileInput, editWorkspaceFile } from './tools/edit-file.tool.ts';
import { listDirInput, listWorkspaceDir } from './tools/list-dir.tool.ts';
import { readFileInput, readWorkspaceFile } from './tools/read-file.tool.ts';
import type { ToolContext } from './tools/tool-context.ts';
import { writeFileInput, writeWorkspaceFile } from './tools/write-file.tool.ts';

/** The workspace MCP server: every tool acts only inside `root`, as the container's agent user. */
export function buildServer(context: ToolContext): McpServer {
  const server = new McpServer({ name: 'garrison-workspace', version: '0.1.0' });
  server.registerTool(
    'bash',
    { description: 'Run a shell command in the workspace; returns exit code, stdout and stderr (capped).', inputSchema: bashInput },
    (input) => asToolResult(() => runBash(context, input)),
  );
  server.registerTool(
    'read_file',
    { description: 'Read a text file of the workspace with line numbers; page with offset/limit.', inputSchema: readFileInput },
    (input) => asToolResult(() => readWorkspaceFile(context, input)),
  );
  server.registerTool(
    'write_file',
    { description: 'Create or overwrite a file of the workspace.', inputSchema: writeFileInput },
    (input) => asToolResult(() => writeWorkspaceFile(context, input)),
  );
  server.registerTool(
    'edit_file',
    { description: 'Replace one exact occurrence of a text in a file.', inputSchema: editFileInput },
    (input) => asToolResult(() => editWorkspaceFile(context, input)),
  );
  server.registerTool(
    'list_dir',
    { description: 'List a directory of the workspace.', inputSchema: listDirInput },
    (input) => asToolResult(() => listWorkspaceDir(context, input)),
  );
  return server;
}
