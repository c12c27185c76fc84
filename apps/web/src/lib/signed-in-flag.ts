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

/** True once per ended session: reading it clears it, so the notice is not shown twice. */
export function takeSignedIn(): boolean {
  try {
    const was = localStorage.getItem(KEY) === '1';
    localStorage.removeItem(KEY);
    return was;
  } catch {
    return false;
  }
}
