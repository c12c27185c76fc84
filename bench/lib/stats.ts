/** Percentiles by nearest rank: with n samples, p99 is the largest sample whenever n < 100. */
export interface Summary {
  p50: number;
  p95: number;
  p99: number;
  n: number;
  min: number;
  max: number;
  mean: number;
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of no samples');
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return {
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    n: sorted.length,
    min: round(sorted[0]!),
    max: round(sorted[sorted.length - 1]!),
    mean: round(mean),
  };
}

/** How many times the floor a figure is; above 1 means slower (or, for rates, see `rateRatio`). */
export function ratio(figure: number, floor: number): number {
  return round(figure / floor, 2);
}

/** A floor as it appears next to its figure. */
export function floorOf(name: string, method: string, samples: readonly number[]) {
  return { name, method, ...summarize(samples) };
}
