/** What every tool needs to know: the workspace root all paths are confined to. */
export interface ToolContext {
  root: string;
}
