'use client';

import {
  MutationCache,
  QueryCache,
  QueryClient,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryKey,
  type UseQueryOptions,
} from '@tanstack/react-query';
import { ApiError, callApi, isUnauthenticated } from './api';

/**
 * Query keys, one place: live updates (team-live.tsx) invalidate by these prefixes, so a page
 * that keys its data under them is refreshed when the team room says something changed.
 */
export const queryKeys = {
  me: ['me'] as const,
  teams: ['teams'] as const,
  overview: ['overview'] as const,
  missions: ['missions'] as const,
  mission: (id: string) => ['mission', id] as const,
  workspaces: ['workspaces'] as const,
  workspace: (id: string) => ['workspace', id] as const,
  templates: ['templates'] as const,
  agents: ['agents'] as const,
  settings: ['settings'] as const,
};

/** 4xx answers are final (bad input, gone, forbidden); only network and 5xx are worth a retry. */
function shouldRetry(failures: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failures < 2;
}

/**
 * One client per tab. Any query or mutation answered 401 means the session ended (expired,
 * signed out elsewhere, revoked): the person is sent to sign in and brought back afterwards.
 */
export function createQueryClient(onSessionEnded: () => void): QueryClient {
  const onError = (error: unknown): void => {
    if (isUnauthenticated(error)) onSessionEnded();
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 5_000, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });
}

type ApiQueryOptions<T> = Omit<UseQueryOptions<T, ApiError, T, QueryKey>, 'queryKey' | 'queryFn'>;

/** GET `path` under /api/v1, cached under `key`; `path` null waits (e.g. for an id). */
export function useApiQuery<T>(key: QueryKey, path: string | null, options: ApiQueryOptions<T> = {}) {
  const { enabled = true, ...rest } = options;
  return useQuery<T, ApiError, T, QueryKey>({
    ...rest,
    queryKey: key,
    queryFn: ({ signal }) => callApi<T>(path!, { signal }),
    enabled: path !== null && enabled,
  });
}

interface ApiMutation<TVars, TResult> {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: (vars: TVars) => string;
  body?: (vars: TVars) => unknown;
  /** Prefixes refreshed once the change is stored. */
  invalidate?: readonly QueryKey[];
  onSuccess?: (result: TResult, vars: TVars) => void;
}

/** A write to /api/v1; errors surface as ApiError with the API's code and message. */
export function useApiMutation<TVars = void, TResult = unknown>(spec: ApiMutation<TVars, TResult>) {
  const client = useQueryClient();
  return useMutation<TResult, ApiError, TVars>({
    mutationFn: (vars) => callApi<TResult>(spec.path(vars), { method: spec.method, body: spec.body?.(vars) }),
    onSuccess: async (result, vars) => {
      spec.onSuccess?.(result, vars);
      await Promise.all((spec.invalidate ?? []).map((queryKey) => client.invalidateQueries({ queryKey })));
    },
  });
}
