import type { FileEntry } from '@garrison/core';
import { ApiError, csrfHeader, isCsrfFailure } from './api';

export type { FileEntry };

export interface Listing {
  path: string;
  entries: FileEntry[];
  truncated: boolean;
  limits: { uploadMaxBytes: number; downloadMaxBytes: number; viewMaxBytes: number };
}

export interface FileView {
  path: string;
  size: number;
  encoding: 'utf8' | 'base64';
  content: string;
  truncated: boolean;
}

export function filesApiPath(workspaceId: string, route: 'list' | 'content' | 'download', path: string): string {
  const suffix = route === 'list' ? '' : `/${route}`;
  return `/workspaces/${encodeURIComponent(workspaceId)}/files${suffix}?path=${encodeURIComponent(path)}`;
}

/** Sends the file as the raw body; the API refuses it whole (413) past its limit. */
export async function uploadWorkspaceFile(workspaceId: string, path: string, file: Blob): Promise<{ path: string; size: number }> {
  const send = async (refreshCsrf: boolean): Promise<Response> => {
    const headers = { 'content-type': 'application/octet-stream', ...(await csrfHeader(refreshCsrf)) };
    try {
      return await fetch(`/api/v1${filesApiPath(workspaceId, 'content', path)}`, { method: 'PUT', headers, body: file, credentials: 'same-origin' });
    } catch {
      throw new ApiError(0, 'network_error', 'Could not reach Garrison. Check your connection and try again.');
    }
  };
  let response = await send(false);
  let body = (await response.json().catch(() => null)) as { code?: string; message?: string; path?: string; size?: number } | null;
  if (isCsrfFailure(response.status, body)) {
    response = await send(true);
    body = (await response.json().catch(() => null)) as typeof body;
  }
  if (!response.ok) {
    throw new ApiError(response.status, body?.code ?? 'http_error', body?.message ?? `The upload failed (${response.status}); try again.`);
  }
  return { path: body?.path ?? path, size: body?.size ?? file.size };
}

export function joinPath(directory: string, name: string): string {
  return directory ? `${directory}/${name}` : name;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}
