/**
 * What the web terminal's exec runs (`sh -c ATTACH_SCRIPT garrison-terminal NAME HISTORY ROWS`):
 * attach to the tmux session NAME, creating it on first use, so the shell and its scrollback
 * outlive every browser reload and every worker restart.
 *
 * - On a reattach it first prints the session's history (lines that scrolled off the pane) and
 *   then ROWS blank lines to push them into the client's own scrollback; tmux's redraw then
 *   repaints the visible screen. A fresh xterm after a reload so gets both.
 * - `smcup@:rmcup@` keeps tmux out of the alternate screen, so what scrolls off lands in the
 *   browser terminal's native scrollback (the mouse wheel works as in any terminal).
 * - `-D` detaches any other client of the session: one attach at a time, and a tmux client left
 *   behind by a worker that died is cleared away.
 * - Images built before the terminal have no tmux: say what to do instead of `not found`.
 * - It starts by waiting for a line on stdin (see the script): the worker sends it once it listens.
 */
export const ATTACH_SCRIPT = String.raw`
S="$1"; H="$2"; R="$3"
# Wait for the worker's go (a line on stdin, not echoed): the engine drops what an exec prints
# before its client is attached, and the history below must not be lost that way.
stty -echo 2>/dev/null; IFS= read -r _go; stty echo 2>/dev/null
if ! command -v tmux >/dev/null 2>&1; then
  printf '%s\r\n' "This workspace's container was built from an image without tmux, which the web terminal needs." "Rebuild the workspace (its files are kept), then open the terminal again."
  exit 127
fi
if tmux has-session -t "=$S" 2>/dev/null; then
  n=$(tmux display-message -p -t "=$S:" '#{history_size}' 2>/dev/null)
  case "$n" in ''|*[!0-9]*) n=0 ;; esac
  if [ "$n" -gt 0 ]; then
    tmux capture-pane -p -e -S "-$H" -E -1 -t "=$S:" 2>/dev/null
    i=0; while [ "$i" -lt "$R" ]; do echo; i=$((i + 1)); done
  fi
fi
exec tmux -u start-server \; \
  set-option -g status off \; \
  set-option -g history-limit 10000 \; \
  set-option -g escape-time 10 \; \
  set-option -g terminal-overrides 'xterm*:smcup@:rmcup@' \; \
  new-session -A -D -s "$S"
`;

/** Scrollback replayed into a fresh browser terminal on reattach. */
export const REATTACH_HISTORY_LINES = 2000;

export const TERMINAL_ENV = { TERM: 'xterm-256color', COLORTERM: 'truecolor', LANG: 'C.UTF-8' };
