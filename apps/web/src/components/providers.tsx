'use client';

import { QueryClientProvider } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import { loginPath } from '../lib/paths';
import { createQueryClient } from '../lib/queries';
import { takeSignedIn } from '../lib/signed-in-flag';

/** Data layer of every signed-in page; a 401 anywhere sends the person to sign in again. */
export function Providers({ children }: { children: ReactNode }) {
  const router = useRouter();
  const [client] = useState(() =>
    createQueryClient(() => {
      const here = `${window.location.pathname}${window.location.search}`;
      if (window.location.pathname !== '/login') router.replace(loginPath(here, takeSignedIn() ? 'expired' : undefined));
    }),
  );
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
