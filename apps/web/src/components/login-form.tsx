'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { callApi, messageOf } from '../lib/api';
import { safeNextPath } from '../lib/paths';
import { clearSignedIn, markSignedIn } from '../lib/signed-in-flag';

function nextPath(): string {
  return safeNextPath(new URLSearchParams(window.location.search).get('next'));
}

export function LoginForm() {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [expired, setExpired] = useState(false);

  // Someone already signed in who lands here goes straight on.
  useEffect(() => {
    setExpired(new URLSearchParams(window.location.search).get('reason') === 'expired');
    // On the sign-in page nobody is signed in (until /auth/me below says otherwise).
    clearSignedIn();
    const controller = new AbortController();
    callApi('/auth/me', { signal: controller.signal }).then(
      () => {
        markSignedIn();
        router.replace(nextPath());
      },
      () => {},
    );
    return () => controller.abort();
  }, [router]);

  async function onSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const signedIn = await callApi<{ teamId: string | null }>('/auth/login', { method: 'POST', body: { email: form.get('email'), password: form.get('password') } });
      const next = nextPath();
      if (!signedIn.teamId) {
        // Signed in, but in no team: only an invite link can help, so go to it or say so.
        router.replace(next.startsWith('/invite/') ? next : '/no-team');
        return;
      }
      markSignedIn();
      router.replace(next);
    } catch (failure) {
      setError(messageOf(failure));
      setPending(false);
    }
  }

  return (
    <form className="login-card" onSubmit={(event) => void onSubmit(event)} aria-describedby={error ? 'login-error' : undefined}>
      <div className="login-brand">
        <span className="brand-mark" aria-hidden="true" />
        Garrison
      </div>
      <h1>Sign in</h1>
      <p className="muted">Mission control for your team&apos;s coding agents.</p>
      {expired ? (
        <p className="notice" role="status" data-testid="session-expired">
          Your session ended. Sign in again to go back to the page you were on.
        </p>
      ) : null}
      <div className="field">
        <label htmlFor="login-email">Email</label>
        <input id="login-email" name="email" type="email" autoComplete="username" required autoFocus />
      </div>
      <div className="field">
        <label htmlFor="login-password">Password</label>
        <input id="login-password" name="password" type="password" autoComplete="current-password" required />
      </div>
      {error ? (
        <p id="login-error" className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="button button-primary button-block" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
