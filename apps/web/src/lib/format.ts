const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

export function formatDateTime(iso: string | null): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

/** HH:MM:SS.mmm for log rows, where sub-second order matters. */
export function formatClock(iso: string): string {
  const date = new Date(iso);
  return `${clock.format(date)}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

export function formatRelative(iso: string, now: number): string {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return formatDateTime(iso);
}

export function formatDuration(fromIso: string | null, toIso: string | null, now: number): string | null {
  if (!fromIso) return null;
  const ms = (toIso ? new Date(toIso).getTime() : now) - new Date(fromIso).getTime();
  if (ms < 0) return null;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The first non-blank line of a prompt, shortened for lists and titles. */
export function firstLine(text: string, max = 100): string {
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  const line = lines[0] ?? '';
  if (line.length > max) return `${line.slice(0, max - 1)}…`;
  return lines.length > 1 ? `${line} …` : line;
}

/** Status reasons are machine strings (`exit_code:1`, `canceled_by:ana@x`); say them in words. */
export function describeReason(reason: string | null | undefined): string | null {
  if (!reason) return null;
  const [kind, ...rest] = reason.split(':');
  const value = rest.join(':');
  switch (kind) {
    case 'exit_code':
      return `exit code ${value}`;
    case 'canceled_by':
      return `canceled by ${value}`;
    case 'signal':
      return `signal ${value}`;
    default:
      return reason.replaceAll('_', ' ');
  }
}

export function statusLabel(status: string): string {
  return status.replaceAll('_', ' ');
}
