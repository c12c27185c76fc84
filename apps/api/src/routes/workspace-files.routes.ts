import express, { Router, type RequestHandler } from 'express';
import { DomainError, ErrorCode, FilePathQuery, FileTargetQuery } from '@garrison/core';
import {
  downloadWorkspaceFile,
  listWorkspaceFiles,
  uploadWorkspaceFile,
  viewWorkspaceFile,
  type WorkspaceFilesDeps,
} from '../files/workspace-files.service.ts';
import { callerOf } from '../http/auth.middleware.ts';
import { parseInput } from '../http/validate.ts';

/** The file browser: list, view, download and upload inside a running workspace's /workspace. */
export function workspaceFileRoutes(deps: WorkspaceFilesDeps): Router {
  const router = Router();
  router.get('/workspaces/:id/files', async (req, res) => {
    const { path } = parseInput(FilePathQuery, req.query);
    res.json(await listWorkspaceFiles(deps, callerOf(req), req.params.id as string, path));
  });
  router.get('/workspaces/:id/files/content', async (req, res) => {
    const { path } = parseInput(FileTargetQuery, req.query);
    res.json(await viewWorkspaceFile(deps, callerOf(req), req.params.id as string, path));
  });
  router.get('/workspaces/:id/files/download', async (req, res) => {
    const { path } = parseInput(FileTargetQuery, req.query);
    const file = await downloadWorkspaceFile(deps, callerOf(req), req.params.id as string, path);
    const name = file.path.split('/').pop() || 'download';
    res.setHeader('content-type', 'application/octet-stream');
    res.setHeader('content-disposition', `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`);
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-content-type-options', 'nosniff');
    res.end(file.bytes);
  });
  router.put('/workspaces/:id/files/content', rawBody(deps.fileLimits.uploadMaxBytes), async (req, res) => {
    const { path } = parseInput(FileTargetQuery, req.query);
    // A JSON content type is parsed as JSON by the app before this route: refuse rather than store that.
    if (req.body !== undefined && !Buffer.isBuffer(req.body)) {
      throw new DomainError(ErrorCode.InvalidInput, 'Send the file as the raw body with content-type application/octet-stream.');
    }
    const body = req.body ?? Buffer.alloc(0);
    res.status(201).json(await uploadWorkspaceFile(deps, callerOf(req), req.params.id as string, path, body, req.requestId));
  });
  return router;
}

/** The upload body as bytes, whatever its type; over the limit is refused before anything is sent on. */
function rawBody(limitBytes: number): RequestHandler {
  const parse = express.raw({ type: () => true, limit: limitBytes });
  return (req, res, next) =>
    parse(req, res, (error?: unknown) => {
      if ((error as { type?: string } | undefined)?.type === 'entity.too.large') {
        next(
          new DomainError(ErrorCode.PayloadTooLarge, `Uploads are limited to ${formatBytes(limitBytes)}; nothing was written. Copy larger files in through the terminal (git, curl) instead.`, {
            limitBytes,
          }),
        );
        return;
      }
      next(error);
    });
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB` : `${bytes} bytes`;
}
