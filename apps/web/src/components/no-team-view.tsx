'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { callApi, isUnauthenticated, messageOf } from '../lib/api';
import type { Me } from '../lib/api-types';

type State = { kind: 'loading' } | { kind: 'signed-in'; email: string } | { kind: 'signed-out' } | { kind: 'failed'; message: string };

/**
 * A user whose account belongs to no team (the last team removed them, or it was deleted): they
 * can sign in, but there is nothing to show until someone invites them.
 */
export function NoTeamView() {
  const router = useRouter();
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [signingOut, setSigningOut] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    callApi<Pick<Me, 'user'>>('/auth/session', { signal: controller.signal }).then(
      (session) => setState({ kind: 'signed-in', email: session.user.email }),
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setState(isUnauthenticated(failure) ? { kind: 'signed-out' } : { kind: 'failed', message: messageOf(failure) });
      },
    );
    // Someone who has been invited meanwhile (or was in a team all along) goes straight on.
    callApi('/auth/me', { signal: controller.signal }).then(
      () => router.replace('/'),
      () => {},
    );
    return () => controller.abort();
  }, [router]);

  async function signOut(): Promise<void> {
    setSigningOut(true);
    await callApi('/auth/logout', { method: 'POST' }).catch(() => {});
    router.replace('/login');
  }

  return (
    <div className="login-card" data-testid="no-team">
      <div className="login-brand">
        <span className="brand-mark" aria-hidden="true" />
        Garrison
      </div>
      <h1>You are not in a team yet</h1>
      {state.kind === 'loading' ? (
        <p className="muted" role="status">
          Checking your account…
        </p>
      ) : null}
      {state.kind === 'failed' ? (
        <p className="form-error" role="alert">
          {state.message}
        </p>
      ) : null}
      {state.kind === 'signed-out' ? (
        <p>
          You are signed out. <Link href="/login">Sign in</Link> to continue.
        </p>
      ) : null}
      {state.kind === 'signed-in' ? (
        <>
          <p>
            You are signed in as <strong data-testid="no-team-email">{state.email}</strong>, but this account is not a member of any team, so there is nothing to show yet.
          </p>
          <p className="muted">
            Ask an owner or admin of your team for an invite link (they create one under Settings → Invites), then open it in this browser to join. If you expected to be in a team already, you may have been removed from it.
          </p>
          <button type="button" className="button button-block" disabled={signingOut} onClick={() => void signOut()}>
            {signingOut ? 'Signing out…' : 'Sign out'}
          </button>
        </>
      ) : null}
    </div>
  );
}
