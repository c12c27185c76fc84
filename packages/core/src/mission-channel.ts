/**
 * The file protocol between the workspace MCP server (spawned by the agent), the runner (which
 * owns the mission's event log) and the worker (through `runner message|answer` over exec),
 * all inside the workspace container. Zod-free: both bundles start per call and stay lean.
 *
 * Under the mission's state dir (GARRISON_MISSION_DIR for the MCP server):
 *   requests/<id>.json   the MCP server asks: an approval or a question (ChannelRequest)
 *   responses/<id>.json  the worker's answer to it (ChannelResponse), written by `runner answer`
 *   inbox/<id>.json      a follow-up for the agent (InboxMessage), written by `runner message`
 *   outcome.json         the agent's own verdict from complete_mission (DeclaredOutcome)
 * Every file is written to a temporary name and renamed, so a reader never sees half of one.
 * The runner turns requests and responses into events (approval.requested/resolved,
 * input.requested/provided) and is the only writer of seq.
 */

export const CHANNEL_DIRS = { requests: 'requests', responses: 'responses', inbox: 'inbox' } as const;
export const OUTCOME_FILE = 'outcome.json';

export type ChannelRequest =
  | {
      id: string;
      kind: 'approval';
      /** The tool the agent wants to run, as the agent names it (Bash, mcp__garrison__write_file). */
      tool: string;
      input: unknown;
      /** One line a person can judge quickly: the command, or the file and what happens to it. */
      summary: string;
      ts: string;
    }
  | { id: string; kind: 'input'; question: string; options?: string[]; ts: string };

export type ChannelResponse =
  | { id: string; kind: 'approval'; decision: 'allow' | 'deny'; message?: string; by: string; ts: string }
  | { id: string; kind: 'input'; text: string; by: string; ts: string };

export interface InboxMessage {
  id: string;
  text: string;
  by: string;
  ts: string;
}

export type DeclaredStatus = 'completed' | 'blocked' | 'not_feasible';
export interface DeclaredOutcome {
  status: DeclaredStatus;
  summary: string;
  ts: string;
}

/** Request ids become file names. */
const CHANNEL_ID = /^[A-Za-z0-9_-]{1,80}$/;
export function isChannelId(value: unknown): value is string {
  return typeof value === 'string' && CHANNEL_ID.test(value);
}
