'use client';

import { useCallback, useEffect, useState, type ChangeEvent } from 'react';
import { useCanWrite } from '../lib/use-role';
import { ApiError, callApi, messageOf } from '../lib/api';
import { filesApiPath, formatBytes, joinPath, uploadWorkspaceFile, type FileEntry, type FileView, type Listing } from '../lib/files-api';
import { formatDateTime } from '../lib/format';
import { useSignInRedirect } from '../lib/use-sign-in-redirect';

/** Browse /workspace of a running workspace: list, view text, download, upload (with its limit). */
export function FileBrowser({ workspaceId, running }: { workspaceId: string; running: boolean }) {
  const redirectIfSignedOut = useSignInRedirect();
  const canWrite = useCanWrite() !== false;
  const [path, setPath] = useState('');
  const [listing, setListing] = useState<Listing | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [view, setView] = useState<FileView | null>(null);
  const [viewError, setViewError] = useState<string | null>(null);
  const [upload, setUpload] = useState<{ state: 'idle' | 'sending' | 'done' | 'failed'; message: string | null }>({ state: 'idle', message: null });

  const load = useCallback(
    async (target: string) => {
      try {
        const next = await callApi<Listing>(filesApiPath(workspaceId, 'list', target));
        setListing(next);
        setPath(next.path);
        setListError(null);
      } catch (failure) {
        if (!redirectIfSignedOut(failure)) setListError(messageOf(failure));
      }
    },
    [workspaceId, redirectIfSignedOut],
  );

  useEffect(() => {
    if (running) void load(path);
    // Reloads the current directory when the workspace comes back, not on every path change.
  }, [running, load]);

  async function open(entry: FileEntry): Promise<void> {
    const target = joinPath(path, entry.name);
    if (entry.type === 'dir' || entry.target === 'dir') {
      setView(null);
      await load(target);
      return;
    }
    setViewError(null);
    try {
      setView(await callApi<FileView>(filesApiPath(workspaceId, 'content', target)));
    } catch (failure) {
      if (!redirectIfSignedOut(failure)) setViewError(messageOf(failure));
    }
  }

  async function onPick(event: ChangeEvent<HTMLInputElement>): Promise<void> {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file || !listing) return;
    const limit = listing.limits.uploadMaxBytes;
    if (file.size > limit) {
      setUpload({ state: 'failed', message: `${file.name} is ${formatBytes(file.size)}; uploads are limited to ${formatBytes(limit)}. Nothing was sent.` });
      return;
    }
    setUpload({ state: 'sending', message: `Uploading ${file.name}…` });
    try {
      const stored = await uploadWorkspaceFile(workspaceId, joinPath(path, file.name), file);
      setUpload({ state: 'done', message: `Uploaded ${stored.path} (${formatBytes(stored.size)}).` });
      await load(path);
    } catch (failure) {
      if (redirectIfSignedOut(failure)) return;
      setUpload({ state: 'failed', message: failure instanceof ApiError && failure.status === 413 ? failure.message : messageOf(failure) });
    }
  }

  const crumbs = path ? path.split('/') : [];
  return (
    <section className="panel file-browser" aria-labelledby="files-heading">
      <div className="panel-heading">
        <h2 id="files-heading">Files</h2>
        {running && listing && !canWrite ? <span className="muted small">Viewers can browse and download, not upload</span> : null}
        {running && listing && canWrite ? (
          <div className="upload">
            <input id="file-upload" type="file" className="visually-hidden" onChange={(event) => void onPick(event)} disabled={upload.state === 'sending'} />
            <label htmlFor="file-upload" className="button button-quiet">
              Upload a file
            </label>
            <span className="muted small">up to {formatBytes(listing.limits.uploadMaxBytes)}</span>
          </div>
        ) : null}
      </div>
      {!running ? <p className="muted">Start or resume the workspace to browse its files.</p> : null}
      {running ? (
        <>
          <nav aria-label="Folder" className="breadcrumbs">
            <button type="button" className="crumb" onClick={() => void load('')} aria-current={path === '' ? 'location' : undefined}>
              workspace
            </button>
            {crumbs.map((name, index) => {
              const target = crumbs.slice(0, index + 1).join('/');
              return (
                <span key={target}>
                  <span aria-hidden="true" className="muted">
                    {' / '}
                  </span>
                  <button type="button" className="crumb" onClick={() => void load(target)} aria-current={target === path ? 'location' : undefined}>
                    {name}
                  </button>
                </span>
              );
            })}
          </nav>
          {upload.message ? (
            <p className={upload.state === 'failed' ? 'form-error' : 'muted small'} role={upload.state === 'failed' ? 'alert' : 'status'} data-testid="upload-status">
              {upload.message}
            </p>
          ) : null}
          {listError ? (
            <p className="form-error" role="alert">
              {listError}
            </p>
          ) : null}
          {listing === null && !listError ? <p className="muted">Loading…</p> : null}
          {listing ? <FileTable listing={listing} workspaceId={workspaceId} onOpen={(entry) => void open(entry)} onUp={path ? () => void load(crumbs.slice(0, -1).join('/')) : null} /> : null}
          {viewError ? (
            <p className="form-error" role="alert">
              {viewError}
            </p>
          ) : null}
          {view ? <FileViewer view={view} workspaceId={workspaceId} onClose={() => setView(null)} /> : null}
        </>
      ) : null}
    </section>
  );
}

function FileTable({ listing, workspaceId, onOpen, onUp }: { listing: Listing; workspaceId: string; onOpen(entry: FileEntry): void; onUp: (() => void) | null }) {
  return (
    <div className="file-table-scroll">
      <table className="file-table" data-testid="file-list">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col" className="numeric">
              Size
            </th>
            <th scope="col">Modified</th>
            <th scope="col">
              <span className="visually-hidden">Download</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {onUp ? (
            <tr>
              <td colSpan={4}>
                <button type="button" className="file-name" onClick={onUp}>
                  ..
                </button>
              </td>
            </tr>
          ) : null}
          {listing.entries.length === 0 ? (
            <tr>
              <td colSpan={4} className="muted">
                This folder is empty.
              </td>
            </tr>
          ) : null}
          {listing.entries.map((entry) => {
            const isDir = entry.type === 'dir' || entry.target === 'dir';
            const blocked = entry.target === 'outside' || entry.target === 'broken' || entry.type === 'other' || entry.target === 'other';
            return (
              <tr key={entry.name} data-name={entry.name}>
                <td>
                  <button
                    type="button"
                    className={`file-name${isDir ? ' is-dir' : ''}`}
                    onClick={() => onOpen(entry)}
                    disabled={blocked}
                    title={entry.target === 'outside' ? 'A link out of the workspace: not opened.' : entry.target === 'broken' ? 'A broken link.' : undefined}
                  >
                    <span aria-hidden="true" className="file-icon">
                      {isDir ? '▸' : '·'}
                    </span>
                    {entry.name}
                    {isDir ? '/' : ''}
                    {entry.type === 'symlink' ? <span className="muted small"> (link{entry.target === 'outside' ? ' out' : ''})</span> : null}
                  </button>
                </td>
                <td className="numeric muted">{isDir ? '' : formatBytes(entry.size)}</td>
                <td className="muted small">{formatDateTime(entry.mtime)}</td>
                <td>
                  {!isDir && !blocked ? (
                    <a className="small" href={`/api/v1${filesApiPath(workspaceId, 'download', joinPath(listing.path, entry.name))}`} download={entry.name}>
                      Download
                    </a>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {listing.truncated ? <p className="muted small">Only the first {listing.entries.length} entries are shown; use the terminal for the rest.</p> : null}
    </div>
  );
}

function FileViewer({ view, workspaceId, onClose }: { view: FileView; workspaceId: string; onClose(): void }) {
  return (
    <div className="file-viewer" data-testid="file-viewer">
      <div className="file-viewer-bar">
        <code>{view.path}</code>
        <span className="muted small">{formatBytes(view.size)}</span>
        <a className="small" href={`/api/v1${filesApiPath(workspaceId, 'download', view.path)}`} download={view.path.split('/').pop()}>
          Download
        </a>
        <button type="button" className="button button-quiet" onClick={onClose}>
          Close
        </button>
      </div>
      {view.encoding === 'utf8' ? (
        <pre tabIndex={0} aria-label={`Contents of ${view.path}`}>
          {view.content}
        </pre>
      ) : (
        <p className="muted">This is not a text file; download it to open it.</p>
      )}
      {view.truncated ? <p className="muted small">Showing the first {formatBytes(view.content.length)}; download the file for all of it.</p> : null}
    </div>
  );
}
