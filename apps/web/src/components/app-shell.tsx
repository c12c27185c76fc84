'use client';

import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useState, type ReactNode } from 'react';
import { callApi, messageOf } from '../lib/api';
import { useMe } from '../lib/use-role';
import { useTeamLive } from '../lib/team-live';
import { clearSignedIn } from '../lib/signed-in-flag';
import { testHooksEnabled } from '../lib/test-hooks';
import { LiveIndicator } from './live-indicator';
import { NewMissionLauncher } from './new-mission-launcher';
import { ThemeToggle } from './theme-toggle';
import { TeamSwitcher } from './team-switcher';
import { cx } from './ui';

const NAV = [
  { href: '/', label: 'Overview', exact: true },
  { href: '/missions', label: 'Missions' },
  { href: '/workspaces', label: 'Workspaces' },
  { href: '/settings', label: 'Settings' },
] as const;

function isActive(pathname: string, href: string, exact?: boolean): boolean {
  return exact ? pathname === href : pathname === href || pathname.startsWith(`${href}/`);
}

/** The frame of every signed-in page: where you can go, who is signed in, and a way out. */
export function AppShell({ children }: { children: ReactNode }) {
  const router = useRouter();
  const pathname = usePathname();
  const me = useMe();
  const live = useTeamLive();
  const [signingOut, setSigningOut] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    testHooksEnabled();
  }, []);

  async function signOut(): Promise<void> {
    setSigningOut(true);
    setError(null);
    try {
      await callApi('/auth/logout', { method: 'POST' });
      clearSignedIn();
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
      <header className="sticky top-0 z-30 border-b border-border bg-panel/95 backdrop-blur">
        <div className="mx-auto flex max-w-[1400px] flex-wrap items-center gap-x-5 gap-y-2 px-5 py-2.5">
          <Link href="/" className="brand">
            <span className="brand-mark" aria-hidden="true" />
            Garrison
          </Link>
          <TeamSwitcher />
          <nav aria-label="Main" className="flex items-center gap-1">
            {NAV.map((item) => {
              const active = isActive(pathname, item.href, 'exact' in item ? item.exact : false);
              return (
                <Link
                  key={item.href}
                  href={item.href}
                  aria-current={active ? 'page' : undefined}
                  className={cx(
                    'rounded-md px-2.5 py-1.5 text-sm font-medium no-underline',
                    active ? 'bg-subtle text-fg' : 'text-muted hover:bg-subtle hover:text-fg',
                  )}
                >
                  {item.label}
                </Link>
              );
            })}
          </nav>
          <div className="ml-auto flex items-center gap-3">
            <NewMissionLauncher />
            <LiveIndicator state={live} />
            <ThemeToggle />
            {error ? <span className="text-sm text-danger">{error}</span> : null}
            {me.data ? (
              <span className="hidden text-sm text-muted md:inline" title={`Role: ${me.data.role}`} data-testid="signed-in-as">
                {me.data.user.email}
              </span>
            ) : null}
            <button
              type="button"
              className="rounded-md px-2.5 py-1.5 text-sm text-muted hover:bg-subtle hover:text-fg disabled:opacity-60"
              onClick={() => void signOut()}
              disabled={signingOut}
            >
              {signingOut ? 'Signing out…' : 'Sign out'}
            </button>
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-[1400px] px-5 py-6">
        {children}
      </main>
    </>
  );
}
