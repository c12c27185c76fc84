'use client';

import Link from 'next/link';
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, callApi, messageOf } from '../lib/api';
import type { Me } from '../lib/api-types';
import { formatDateTime } from '../lib/format';

interface InviteInfo {
  teamName: string;
  role: string;
  email: string | null;
  expiresAt: string;
  state: string;
}

type Loaded =
  | { kind: 'loading' }
  | { kind: 'unusable'; title: string; message: string }
  | { kind: 'ready'; invite: InviteInfo; me: Pick<Me, 'user'> | null };

const UNUSABLE_TITLE: Record<string, string> = {
  invite_expired: 'This invite has expired',
  invite_revoked: 'This invite was revoked',
  invite_used: 'This invite was already used',
  invite_not_found: 'This invite link is not valid',
};

/** Joining a team from an invite link: as the signed-in user, or by creating an account. */
export function InviteView({ token }: { token: string }) {
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const signInPath = `/login?next=${encodeURIComponent(`/invite/${token}`)}`;

  useEffect(() => {
    const controller = new AbortController();
    (async () => {
      try {
        const invite = await callApi<InviteInfo>(`/invites/${encodeURIComponent(token)}`, { signal: controller.signal });
        // /auth/session also knows a signed-in user who belongs to no team yet: they join as themselves.
        const me = await callApi<Pick<Me, 'user'>>('/auth/session', { signal: controller.signal }).catch(() => null);
        setLoaded({ kind: 'ready', invite, me });
      } catch (failure) {
        if (controller.signal.aborted) return;
        const code = failure instanceof ApiError ? failure.code : 'error';
        setLoaded({ kind: 'unusable', title: UNUSABLE_TITLE[code] ?? 'Could not open this invite', message: messageOf(failure) });
      }
    })();
    return () => controller.abort();
  }, [token]);

  async function accept(body: object): Promise<void> {
    setPending(true);
    setError(null);
    try {
      await callApi(`/invites/${encodeURIComponent(token)}/accept`, { method: 'POST', body });
      // A full load: the dashboard starts fresh in the team just joined (the session points at it).
      window.location.assign('/');
    } catch (failure) {
      setError({ code: failure instanceof ApiError ? failure.code : 'error', message: messageOf(failure) });
      setPending(false);
    }
  }

  function onCreateAccount(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get('password') ?? '');
    if (password !== String(form.get('confirm') ?? '')) {
      setError({ code: 'mismatch', message: 'The two passwords differ; type the same password twice.' });
      return;
    }
    const name = String(form.get('name') ?? '').trim();
    void accept({ email: String(form.get('email') ?? '').trim(), password, ...(name ? { name } : {}) });
  }

  if (loaded.kind === 'loading') {
    return (
      <div className="login-card">
        <p className="muted" role="status">
          Opening the invite…
        </p>
      </div>
    );
  }

  if (loaded.kind === 'unusable') {
    return (
      <div className="login-card" data-testid="invite-unusable">
        <Brand />
        <h1>{loaded.title}</h1>
        <p className="form-error" role="alert">
          {loaded.message}
        </p>
        <p className="muted">Ask an owner or admin of the team to create a new invite link for you.</p>
        <p>
          <Link href="/login">Go to sign in</Link>
        </p>
      </div>
    );
  }

  const { invite, me } = loaded;
  const errorNote = error ? (
    <p id="invite-error" className="form-error" role="alert">
      {error.message}
      {error.code === 'email_taken' ? (
        <>
          {' '}
          <Link href={signInPath}>Sign in</Link>
        </>
      ) : null}
    </p>
  ) : null;

  return (
    <div className="login-card" data-testid="invite-card">
      <Brand />
      <h1>Join {invite.teamName}</h1>
      <p className="muted">
        You are invited as <strong>{invite.role}</strong>
        {invite.email ? (
          <>
            {' '}
            for <strong>{invite.email}</strong>
          </>
        ) : null}
        . The link works until {formatDateTime(invite.expiresAt)}.
      </p>
      {me ? (
        <>
          <p>
            Signed in as <strong>{me.user.email}</strong>.
          </p>
          {errorNote}
          <button type="button" className="button button-primary button-block" disabled={pending} onClick={() => void accept({})}>
            {pending ? 'Joining…' : `Join ${invite.teamName}`}
          </button>
          <p className="muted">
            Not you? <SignOutAndReload />
          </p>
        </>
      ) : (
        <form className="space-y-3.5" onSubmit={onCreateAccount} aria-describedby={error ? 'invite-error' : undefined}>
          <p className="muted">
            Create your account to join, or <Link href={signInPath}>sign in first</Link> if you already have one.
          </p>
          <div className="field">
            <label htmlFor="invite-email">Email</label>
            <input id="invite-email" name="email" type="email" autoComplete="username" required defaultValue={invite.email ?? ''} readOnly={Boolean(invite.email)} autoFocus={!invite.email} />
          </div>
          <div className="field">
            <label htmlFor="invite-name">Name (optional)</label>
            <input id="invite-name" name="name" autoComplete="name" maxLength={80} autoFocus={Boolean(invite.email)} />
          </div>
          <div className="field">
            <label htmlFor="invite-password">Password</label>
            <input id="invite-password" name="password" type="password" autoComplete="new-password" minLength={10} required aria-describedby="invite-password-hint" />
            <small id="invite-password-hint" className="muted">
              At least 10 characters.
            </small>
          </div>
          <div className="field">
            <label htmlFor="invite-confirm">Repeat password</label>
            <input id="invite-confirm" name="confirm" type="password" autoComplete="new-password" minLength={10} required />
          </div>
          {errorNote}
          <button type="submit" className="button button-primary button-block" disabled={pending}>
            {pending ? 'Creating your account…' : 'Create account and join'}
          </button>
        </form>
      )}
    </div>
  );
}

function Brand() {
  return (
    <div className="login-brand">
      <span className="brand-mark" aria-hidden="true" />
      Garrison
    </div>
  );
}

function SignOutAndReload() {
  return (
    <button
      type="button"
      className="cursor-pointer text-primary underline hover:no-underline focus-visible:outline-2 focus-visible:outline-focus"
      onClick={() => {
        void callApi('/auth/logout', { method: 'POST' }).finally(() => window.location.reload());
      }}
    >
      Sign out and use another account
    </button>
  );
}
