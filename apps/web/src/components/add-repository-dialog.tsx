'use client';

import { useState, type FormEvent } from 'react';
import { queryKeys, useApiMutation } from '../lib/queries';
import { useCloneRepository } from '../lib/use-clone-repository';
import { repositoryNameFromUrl, repositoryNameProblem, repositoryUrlProblem } from '../lib/review-format';
import type { CreateRepositoryBody, Repository, RepositoryAuthKind } from '../lib/review-types';
import { CopyText } from './copy-text';
import { DeployKeyHelp } from './deploy-key-help';
import { Button, Dialog, ErrorNote, Field, inputClass } from './ui';

const AUTH_CHOICES: Array<{ kind: RepositoryAuthKind; label: string; hint: string }> = [
  { kind: 'none', label: 'No credentials', hint: 'A public repository, or one the workspace can already reach.' },
  { kind: 'https_token', label: 'HTTPS token', hint: 'A personal or project access token; sent only to git while it clones or pushes.' },
  { kind: 'ssh_key', label: 'SSH deploy key', hint: 'Garrison makes a key pair for this repository and shows you the public half to add at your git host.' },
];

/**
 * Adds a repository to a workspace. For an SSH deploy key it then shows the public key to install:
 * the repository waits (`awaiting_key`) until the person pressed Clone, here or on its row.
 */
export function AddRepositoryDialog({ workspaceId, open, onOpenChange }: { workspaceId: string; open: boolean; onOpenChange(open: boolean): void }) {
  const [url, setUrl] = useState('');
  const [name, setName] = useState('');
  const [nameTouched, setNameTouched] = useState(false);
  const [defaultBranch, setDefaultBranch] = useState('');
  const [authKind, setAuthKind] = useState<RepositoryAuthKind>('none');
  const [token, setToken] = useState('');
  const [tried, setTried] = useState(false);
  const [created, setCreated] = useState<Repository | null>(null);
  const add = useApiMutation<CreateRepositoryBody, { repository: Repository }>({
    method: 'POST',
    path: () => `/workspaces/${encodeURIComponent(workspaceId)}/repositories`,
    body: (body) => body,
    invalidate: [queryKeys.workspace(workspaceId)],
    onSuccess: (result) => {
      setToken('');
      if (result.repository.authKind === 'ssh_key') setCreated(result.repository);
      else close();
    },
  });
  const clone = useCloneRepository(workspaceId, () => close());
  const effectiveName = nameTouched ? name : repositoryNameFromUrl(url);
  const nameProblem = tried ? repositoryNameProblem(effectiveName) : null;
  const urlProblem = tried ? repositoryUrlProblem(url, authKind) : null;
  const tokenProblem = tried && authKind === 'https_token' && !token ? 'Paste the access token, or choose another way in.' : null;

  function reset(): void {
    setUrl('');
    setName('');
    setNameTouched(false);
    setDefaultBranch('');
    setAuthKind('none');
    setToken('');
    setTried(false);
    setCreated(null);
    add.reset();
    clone.reset();
  }

  function close(): void {
    reset();
    onOpenChange(false);
  }

  function submit(event: FormEvent): void {
    event.preventDefault();
    setTried(true);
    if (repositoryNameProblem(effectiveName) || repositoryUrlProblem(url, authKind) || (authKind === 'https_token' && !token)) return;
    const auth = authKind === 'https_token' ? { kind: authKind, token } : { kind: authKind };
    add.mutate({ name: effectiveName, url: url.trim(), auth, ...(defaultBranch.trim() ? { defaultBranch: defaultBranch.trim() } : {}) });
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => (next ? onOpenChange(true) : close())}
      title={created ? 'Add the deploy key' : 'Add a repository'}
      description={created ? undefined : 'Garrison clones it into /workspace/repos/<name>; missions on it then work on branches of their own.'}
    >
      {created?.publicKey ? (
        <div className="space-y-3" data-testid="deploy-key">
          <p className="text-sm">
            Garrison made a key pair for <strong className="font-mono">{created.name}</strong>. <strong>Add this key as a deploy key, then press Clone.</strong> The private half stays encrypted with
            Garrison; until you press Clone, the repository waits in the list (its row has the same Clone button).
          </p>
          <CopyText label="Public deploy key" text={created.publicKey} />
          <DeployKeyHelp />
          <ErrorNote>{clone.error ? `Could not start the clone: ${clone.error.message}` : null}</ErrorNote>
          <div className="flex justify-end gap-2">
            <Button onClick={close}>Clone later</Button>
            <Button variant="primary" onClick={() => clone.mutate(created)} busy={clone.isPending}>
              {clone.isPending ? 'Starting clone…' : 'Clone'}
            </Button>
          </div>
        </div>
      ) : (
        <form className="space-y-3" onSubmit={submit} noValidate>
          <Field label="Clone URL" error={urlProblem} hint="https://github.com/org/repo.git or git@github.com:org/repo.git">
            {(control) => (
              <input {...control} className={`${inputClass} font-mono`} value={url} onChange={(event) => setUrl(event.target.value)} autoFocus spellCheck={false} autoComplete="off" />
            )}
          </Field>
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label="Directory name" error={nameProblem} hint="Under /workspace/repos/; suggested from the URL.">
              {(control) => (
                <input
                  {...control}
                  className={`${inputClass} font-mono`}
                  value={effectiveName}
                  onChange={(event) => {
                    setNameTouched(true);
                    setName(event.target.value);
                  }}
                  spellCheck={false}
                  autoComplete="off"
                />
              )}
            </Field>
            <Field label="Default branch (optional)" hint="Empty: the remote's own default branch.">
              {(control) => (
                <input {...control} className={`${inputClass} font-mono`} value={defaultBranch} onChange={(event) => setDefaultBranch(event.target.value)} placeholder="main" spellCheck={false} autoComplete="off" />
              )}
            </Field>
          </div>
          <fieldset className="space-y-1.5">
            <legend className="text-sm font-medium">Access</legend>
            {AUTH_CHOICES.map((choice) => (
              <label key={choice.kind} className="flex cursor-pointer items-start gap-2 rounded-md border border-border p-2 text-sm has-[:checked]:border-primary has-[:checked]:bg-subtle">
                <input type="radio" name="repository-auth" className="mt-0.5 accent-primary" value={choice.kind} checked={authKind === choice.kind} onChange={() => setAuthKind(choice.kind)} />
                <span>
                  <span className="font-medium">{choice.label}</span>
                  <span className="block text-xs text-muted">{choice.hint}</span>
                </span>
              </label>
            ))}
          </fieldset>
          {authKind === 'https_token' ? (
            <Field label="Access token" error={tokenProblem} hint="Stored encrypted. Never shown again, never written into the workspace's git config.">
              {(control) => (
                <input {...control} type="password" className={`${inputClass} font-mono`} value={token} onChange={(event) => setToken(event.target.value)} autoComplete="new-password" spellCheck={false} />
              )}
            </Field>
          ) : null}
          <ErrorNote>{add.error?.message}</ErrorNote>
          <div className="flex justify-end gap-2">
            <Button onClick={close}>Cancel</Button>
            <Button type="submit" variant="primary" busy={add.isPending}>
              {add.isPending ? 'Adding…' : 'Add repository'}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
