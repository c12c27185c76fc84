import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { gated } from './policy-gate.ts';
import { asToolResult } from './tool-result.ts';
import { approvalPrompt, approvalPromptInput } from './tools/approval-prompt.tool.ts';
import { askHuman, askHumanInput } from './tools/ask-human.tool.ts';
import { bashInput, runBash } from './tools/bash.tool.ts';
import { completeMission, completeMissionInput } from './tools/complete-mission.tool.ts';
import { editFileInput, editWorkspaceFile } from './tools/edit-file.tool.ts';
import { gitDiff, gitDiffInput } from './tools/git-diff.tool.ts';
import { gitStatus, gitStatusInput } from './tools/git-status.tool.ts';
import { globInput, globWorkspace } from './tools/glob.tool.ts';
import { grepInput, grepWorkspace } from './tools/grep.tool.ts';
import { listDirInput, listWorkspaceDir } from './tools/list-dir.tool.ts';
import { readFileInput, readWorkspaceFile } from './tools/read-file.tool.ts';
import type { ToolContext } from './tools/tool-context.ts';
import { writeFileInput, writeWorkspaceFile } from './tools/write-file.tool.ts';

/**
 * The workspace MCP server: every tool acts only inside `root`, as the container's agent user.
 * bash, write_file and edit_file go through the mission's policy gate; the read tools never do.
 */
export function buildServer(context: ToolContext): McpServer {
  const server = new McpServer({ name: 'garrison-workspace', version: '0.1.0' });
  server.registerTool(
    'bash',
    { description: 'Run a shell command in the workspace; returns exit code, stdout and stderr (capped).', inputSchema: bashInput },
    gated(context, 'bash', (input) => runBash(context, input)),
  );
  server.registerTool(
    'read_file',
    { description: 'Read a text file of the workspace with line numbers; page with offset/limit.', inputSchema: readFileInput },
    (input) => asToolResult(() => readWorkspaceFile(context, input)),
  );
  server.registerTool(
    'write_file',
    { description: 'Create or overwrite a file of the workspace.', inputSchema: writeFileInput },
    gated(context, 'write_file', (input) => writeWorkspaceFile(context, input)),
  );
  server.registerTool(
    'edit_file',
    { description: 'Replace one exact occurrence of a text in a file.', inputSchema: editFileInput },
    gated(context, 'edit_file', (input) => editWorkspaceFile(context, input)),
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
  registerMissionTools(server, context);
  return server;
}

/** Tools that talk to the person behind the mission, through the runner (mission-channel-client.ts). */
function registerMissionTools(server: McpServer, context: ToolContext): void {
  server.registerTool(
    'ask_human',
    {
      description:
        'Ask the person who gave you this mission a question and wait for the answer (it can take minutes or hours). ' +
        'Use it only when you cannot go on responsibly without a decision or facts only they have: unclear or conflicting ' +
        'requirements, a risky or irreversible choice, missing access. Do not use it for progress reports or for what you can ' +
        'find out yourself. Give options when the answer is one of a few choices.',
      inputSchema: askHumanInput,
    },
    (input, extra) => asToolResult(() => askHuman(context, input, extra.signal)),
  );
  server.registerTool(
    'complete_mission',
    {
      description:
        'Declare how the mission ended, once, as your last action; then stop. status completed only when you did what was ' +
        'asked and checked it; blocked when you could not finish because something outside your reach is missing (access, a ' +
        'decision, a broken dependency); not_feasible when the mission cannot be done as asked. Be honest: partial or ' +
        'unverified work is not completed. The summary says what you did, what is left and why.',
      inputSchema: completeMissionInput,
    },
    (input) => asToolResult(() => completeMission(context, input)),
  );
  server.registerTool(
    'approval_prompt',
    {
      description:
        "Permission hook for Claude Code's --permission-prompt-tool; not for agents to call. Answers " +
        '{"behavior":"allow","updatedInput":{...}} or {"behavior":"deny","message":"..."} as JSON text.',
      inputSchema: approvalPromptInput,
    },
    (input, extra) => asToolResult(() => approvalPrompt(context, input, extra.signal)),
  );
}
