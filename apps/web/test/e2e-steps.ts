import { waitFor, type ApiClient } from '@garrison/testkit';

/**
 * Creates a workspace over the API (the workspaces page has its own test) and waits until it
 * runs. `timeoutMs` stays with the caller: a template with an init script or the agents image
 * takes longer to come up than a bare one.
 */
export async function createRunningWorkspace(api: ApiClient, body: { name: string; templateId?: string }, timeoutMs: number): Promise<string> {
  const created = await api.post<{ id: string }>('/api/v1/workspaces', body);
  if (created.status !== 201) throw new Error(`creating workspace ${body.name} answered ${created.status}: ${JSON.stringify(created.body)}`);
  const workspaceId = created.body.id;
  await waitFor(async () => (await api.get(`/api/v1/workspaces/${workspaceId}`)).body.status === 'running', { timeoutMs, what: `workspace ${body.name} running` });
  return workspaceId;
}
