import { OutsideWorkspaceError, confinePath } from '@garrison/workspace-paths';
import { ToolError } from './tool-result.ts';

/** The shared confinement (packages/workspace-paths); a refusal is a tool error with a hint. */
export async function resolveInWorkspace(root: string, requested: string): Promise<string> {
  try {
    return (await confinePath(root, requested)).absolute;
  } catch (error) {
    if (error instanceof OutsideWorkspaceError) throw new ToolError(error.message, `Use a path inside the workspace.`);
    throw error;
  }
}
