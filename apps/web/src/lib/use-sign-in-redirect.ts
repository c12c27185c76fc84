'use client';

import { useRouter } from 'next/navigation';
import { useCallback } from 'react';
import { isUnauthenticated } from './api';
import { loginPath } from './paths';
import { wasSignedIn } from './signed-in-flag';

/**
 * Returns a handler for failed API calls: when the session is gone it sends the person to the
 * login page (coming back here afterwards) and returns true; otherwise it returns false.
 */
export function useSignInRedirect(): (error: unknown) => boolean {
  const router = useRouter();
  return useCallback(
    (error: unknown) => {
      if (!isUnauthenticated(error)) return false;
      router.replace(loginPath(`${window.location.pathname}${window.location.search}`, wasSignedIn() ? 'expired' : undefined));
      return true;
    },
    [router],
  );
}
