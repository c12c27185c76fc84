import { csrfHeaders } from './api-client.ts';

/** Raw calls of the file browser API for tests: bytes in and out, with the session cookie (and its CSRF token on writes). */
export async function uploadFile(baseUrl: string, cookie: string, workspaceId: string, path: string, body: Uint8Array | string) {
  const response = await fetch(`${baseUrl}/api/v1/workspaces/${workspaceId}/files/content?path=${encodeURIComponent(path)}`, {
    method: 'PUT',
    headers: { ...(await csrfHeaders(baseUrl, cookie)), 'content-type': 'application/octet-stream' },
    body: typeof body === 'string' ? body : Buffer.from(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

export async function downloadFile(baseUrl: string, cookie: string, workspaceId: string, path: string) {
  const response = await fetch(`${baseUrl}/api/v1/workspaces/${workspaceId}/files/download?path=${encodeURIComponent(path)}`, { headers: { cookie } });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, bytes, json: () => JSON.parse(bytes.toString('utf8')) as any };
}

export function filesPath(workspaceId: string, route: 'list' | 'content' | 'download', path: string): string {
  const suffix = route === 'list' ? '' : `/${route}`;
  return `/api/v1/workspaces/${workspaceId}/files${suffix}?path=${encodeURIComponent(path)}`;
}
