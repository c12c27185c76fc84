/**
 * Remembers in this browser that someone signed in, so a 401 can be told apart: a session that
 * ended under an open page ("your session ended") versus a first visit (just the sign-in form).
 * The session cookie itself is httpOnly and invisible to scripts, by design.
 */
const KEY = 'garrison:signed-in';

export function markSignedIn(): void {
  try {
    localStorage.setItem(KEY, '1');
  } catch {
    // Storage blocked: the sign-in page then just never says the session ended.
  }
}

export function clearSignedIn(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // As above.
  }
}

/**
 * Whether this browser had a session. Not cleared here: several requests fail with 401 at once
 * when a session ends, and each must send the person to the same "session ended" page; the
 * sign-in page clears it.
 */
export function wasSignedIn(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}
