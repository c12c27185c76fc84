/** Axis helpers for the overview's small SVG charts. */

/** The smallest 1, 2 or 5 times a power of ten at or above `value` (at least `floor`). */
export function niceCeiling(value: number, floor = 1): number {
  if (!(value > 0)) return floor;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= value - 1e-9) return Math.max(step * power, floor);
  }
  return Math.max(10 * power, floor);
}

/** `count`+1 evenly spaced ticks from 0 to max. */
export function axisTicks(max: number, count = 4): number[] {
  return Array.from({ length: count + 1 }, (_, index) => (max * index) / count);
}

/** Short weekday-free labels for UTC days: "11-08". */
export function shortDay(day: string): string {
  return day.slice(5);
}

export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${Math.round(seconds * 10) / 10} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatUsd(value: number): string {
  if (value === 0) return '$0';
  if (value < 0.01) return `$${value.toFixed(4)}`;
  return `$${value.toFixed(2)}`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** Share used, 0..100, of a total; 0 when the total is unknown. */
export function usedPercent(total: number, free: number): number {
  if (!(total > 0)) return 0;
  return Math.min(100, Math.max(0, Math.round(((total - free) / total) * 100)));
}
