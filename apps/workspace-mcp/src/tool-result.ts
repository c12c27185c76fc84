/** Tool outcomes in MCP's shape. A failure the agent can fix is a result with a hint, never a crash. */
export interface ToolResult {
  [key: string]: unknown;
  content: { type: 'text'; text: string }[];
  isError?: boolean;
}

export class ToolError extends Error {
  constructor(message: string, readonly hint: string) {
    super(message);
  }
}

export function ok(text: string): ToolResult {
  return { content: [{ type: 'text', text }] };
}

export function failure(message: string, hint: string): ToolResult {
  return { content: [{ type: 'text', text: `${message}\nHint: ${hint}` }], isError: true };
}

/** Runs a tool body and turns expected failures (ToolError, fs errors) into error results. */
export async function asToolResult(body: () => Promise<ToolResult>): Promise<ToolResult> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof ToolError) return failure(error.message, error.hint);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return failure((error as Error).message, 'Check the path with list_dir.');
    if (code === 'EISDIR') return failure((error as Error).message, 'That is a directory; use list_dir.');
    if (code === 'ENOTDIR') return failure((error as Error).message, 'That is a file, not a directory; use read_file.');
    if (code === 'EACCES') return failure((error as Error).message, 'The agent user may not access that path.');
    throw error;
  }
}
