/**
 * Global single-key shortcuts must never steal a keystroke meant for a field, the terminal or
 * an open dialog: these say when a key belongs to something else.
 */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"], .xterm')) return true;
  return false;
}

export function isDialogOpen(): boolean {
  return document.querySelector('[role="dialog"], [role="alertdialog"], dialog[open]') !== null;
}

/** A shortcut key press with no modifier that would make it mean something else. */
export function isPlainKey(event: KeyboardEvent, key: string): boolean {
  return event.key === key && !event.ctrlKey && !event.metaKey && !event.altKey;
}
