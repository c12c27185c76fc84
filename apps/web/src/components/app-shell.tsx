'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type ReactNode } from 'react';
import { callApi, messageOf } from '../lib/api';
import type { Me } from '../lib/api-types';
import { testHooksEnabled } from '../lib/test-hooks';
import { useSignInRedirect } from '../lib/use-sign-in-redirect';

/** The frame of every signed-in page: who is signed in, and a way out. */
export function AppShell({ children }: { children: ReactNode }) {
  const router = useRouter();
  const redirectIfSignedOut = useSignInRedirect();
  const [me, setMe] = useState<Me | null>(null);
  const [signingOut, setSigningOut] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    testHooksEnabled();
    const controller = new AbortController();
    callApi<Me>('/auth/me', { signal: controller.signal }).then(setMe, (failure: unknown) => {
      if (!controller.signal.aborted) redirectIfSignedOut(failure);
    });
    return () => controller.abort();
  }, [redirectIfSignedOut]);

  async function signOut(): Promise<void> {
    setSigningOut(true);
    setError(null);
    try {
      await callApi('/auth/logout', { method: 'POST' });
      router.replace('/login');
    } catch (failure) {
      setError(messageOf(failure));
      setSigningOut(false);
    }
  }

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link href="/" className="brand">
            <span className="brand-mark" aria-hidden="true" />
            Garrison
          </Link>
          <nav aria-label="Main">
            <Link href="/">Missions</Link>
          </nav>
          <div className="topbar-user">
            {error ? <span className="form-error">{error}</span> : null}
            {me ? (
              <span className="muted" title={`Role: ${me.role}`}>
                {me.user.email}
              </span>
            ) : null}
            <button type="button" className="button button-quiet" onClick={() => void signOut()} disabled={signingOut}>
              {signingOut ? 'Signing out…' : 'Sign out'}
            </button>
          </div>
        </div>
      </header>
      <main id="main" className="page">
        {children}
      </main>
    </>
  );
}
