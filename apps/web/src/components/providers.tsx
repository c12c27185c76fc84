'use client';

import { QueryClientProvider } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import { loginPath } from '../lib/paths';
import { createQueryClient } from '../lib/queries';
import { wasSignedIn } from '../lib/signed-in-flag';

/** Data layer of every signed-in page; a 401 anywhere sends the person to sign in again. */
export function Providers({ children }: { children: ReactNode }) {
  const router = useRouter();
  const [client] = useState(() => {
    // Every query in flight fails at once when a session ends: redirect once, from this page.
    let redirected = false;
    return createQueryClient(() => {
      if (redirected || window.location.pathname === '/login') return;
      redirected = true;
      const here = `${window.location.pathname}${window.location.search}`;
      router.replace(loginPath(here, wasSignedIn() ? 'expired' : undefined));
    });
  });
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
