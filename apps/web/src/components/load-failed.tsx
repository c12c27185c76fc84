import Link from 'next/link';
import type { ApiError } from '../lib/api';

/** A page whose subject could not be loaded: says whether it is gone or unreachable, and the way back. */
export function LoadFailed({ what, error }: { what: 'mission' | 'workspace'; error: ApiError }) {
  const noun = what === 'mission' ? 'Mission' : 'Workspace';
  return (
    <div className="panel">
      <h1>{error.status === 404 ? `${noun} not found` : `Could not load the ${what}`}</h1>
      <p className="form-error" role="alert">
        {error.message}
      </p>
      <p>
        <Link href="/">Back to missions</Link>
      </p>
    </div>
  );
}
