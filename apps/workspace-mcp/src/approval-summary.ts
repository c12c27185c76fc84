/** Longer summaries are cut: the whole input travels with the request for anyone who wants it. */
const MAX_SUMMARY_CHARS = 300;

/**
 * One line a person can judge at a glance: the command for a shell tool, the path and action for
 * a file tool, else the tool's name and its input as short JSON. Field names cover both Claude
 * Code's own tools (command, file_path, notebook_path) and ours (command, path).
 */
export function summarizeToolUse(tool: string, input: unknown): string {
  const fields = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const name = tool.replace(/^mcp__.+?__/, '').toLowerCase();
  const path = firstText(fields.file_path, fields.path, fields.notebook_path);
  if (typeof fields.command === 'string' && ['bash', 'shell', 'exec_command'].includes(name)) return oneLine(fields.command);
  if (path !== undefined && ['write', 'write_file'].includes(name)) {
    const bytes = typeof fields.content === 'string' ? ` (${Buffer.byteLength(fields.content)} bytes)` : '';
    return oneLine(`write ${path}${bytes}`);
  }
  if (path !== undefined && ['edit', 'multiedit', 'edit_file', 'notebookedit'].includes(name)) return oneLine(`edit ${path}`);
  return oneLine(`${tool} ${JSON.stringify(input) ?? ''}`.trim());
}

function firstText(...values: unknown[]): string | undefined {
  return values.find((value): value is string => typeof value === 'string' && value !== '');
}

/** A multi-line command keeps a visible line break mark, so a heredoc is not mistaken for one line. */
function oneLine(text: string): string {
  const flat = text.replace(/\s*\r?\n\s*/g, ' ⏎ ').trim();
  return flat.length > MAX_SUMMARY_CHARS ? `${flat.slice(0, MAX_SUMMARY_CHARS - 1)}…` : flat;
}
