import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { asToolResult } from './tool-result.ts';
import { bashInput, runBash } from './tools/bash.tool.ts';
import { editFileInput, editWorkspaceFile } from './tools/edit-file.tool.ts';
import { gitDiff, gitDiffInput } from './tools/git-diff.tool.ts';
import { gitStatus, gitStatusInput } from './tools/git-status.tool.ts';
import { globInput, globWorkspace } from './tools/glob.tool.ts';
import { grepInput, grepWorkspace } from './tools/grep.tool.ts';
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
  server.registerTool(
    'glob',
    { description: 'List files of the workspace matching a glob (sorted, capped); skips .git and node_modules unless named.', inputSchema: globInput },
    (input) => asToolResult(() => globWorkspace(context, input)),
  );
  server.registerTool(
    'grep',
    { description: 'Search file contents with ripgrep; returns path:line:text lines (capped).', inputSchema: grepInput },
    (input) => asToolResult(() => grepWorkspace(context, input)),
  );
  server.registerTool(
    'git_status',
    { description: 'Branch and changed/untracked files of the git repository holding path (porcelain v1).', inputSchema: gitStatusInput },
    (input) => asToolResult(() => gitStatus(context, input)),
  );
  server.registerTool(
    'git_diff',
    { description: 'Unified diff (stat summary first) of the work tree, the index (staged) or against a ref.', inputSchema: gitDiffInput },
    (input) => asToolResult(() => gitDiff(context, input)),
  );
  return server;
}
