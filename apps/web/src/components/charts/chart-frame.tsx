import { useId, type ReactNode } from 'react';
import { axisTicks, shortDay } from '../../lib/chart-scale';

/** The drawing area of every daily chart, in viewBox units; the SVG scales to its container. */
export const PLOT = { width: 440, height: 170, left: 56, right: 8, top: 10, bottom: 34 } as const;
export const innerWidth = PLOT.width - PLOT.left - PLOT.right;
export const innerHeight = PLOT.height - PLOT.top - PLOT.bottom;

export interface ChartColumn {
  label: string;
  values: (string | number)[];
}

/**
 * Title, axes, gridlines and the accessible twin of a daily chart: the SVG is an image with a
 * one-sentence summary, and the same numbers sit in a visually hidden table for screen readers.
 */
export function ChartFrame({
  title,
  summary,
  days,
  max,
  formatTick,
  yLabel,
  legend,
  table,
  children,
  testId,
}: {
  title: string;
  summary: string;
  days: string[];
  max: number;
  formatTick: (value: number) => string;
  yLabel: string;
  legend?: { label: string; className: string; dashed?: boolean }[];
  table: ChartColumn[];
  children: ReactNode;
  testId?: string;
}) {
  const id = useId();
  const step = innerWidth / Math.max(days.length, 1);
  return (
    <figure className="min-w-0 rounded-lg border border-border bg-panel p-3" data-testid={testId} aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="text-sm font-semibold">
        {title}
      </figcaption>
      {legend ? (
        <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-xs text-muted" aria-hidden="true">
          {legend.map((entry) => (
            <li key={entry.label} className="flex items-center gap-1">
              <span className={`inline-block h-2 w-3 rounded-sm ${entry.className} ${entry.dashed ? 'opacity-60' : ''}`} />
              {entry.label}
            </li>
          ))}
        </ul>
      ) : null}
      <svg viewBox={`0 0 ${PLOT.width} ${PLOT.height}`} className="mt-2 block h-auto w-full" role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <desc id={`${id}-desc`}>{summary}</desc>
        {axisTicks(max).map((tick) => {
          const y = PLOT.top + innerHeight - (tick / max) * innerHeight;
          return (
            <g key={tick}>
              <line x1={PLOT.left} x2={PLOT.width - PLOT.right} y1={y} y2={y} className="stroke-border" strokeWidth={1} />
              <text x={PLOT.left - 5} y={y + 3.5} textAnchor="end" className="fill-muted text-[10px]">
                {formatTick(tick)}
              </text>
            </g>
          );
        })}
        {/* Every other day, counted back from today, so today is always labelled. */}
        {days.map((day, index) =>
          (days.length - 1 - index) % 2 === 0 ? (
            <text key={day} x={PLOT.left + step * index + step / 2} y={PLOT.height - PLOT.bottom + 13} textAnchor="middle" className="fill-muted text-[10px]">
              {shortDay(day)}
            </text>
          ) : null,
        )}
        <text x={PLOT.left + innerWidth / 2} y={PLOT.height - 3} textAnchor="middle" className="fill-muted text-[10px]">
          Day (UTC)
        </text>
        <text x={9} y={PLOT.top + innerHeight / 2} textAnchor="middle" transform={`rotate(-90 9 ${PLOT.top + innerHeight / 2})`} className="fill-muted text-[10px]">
          {yLabel}
        </text>
        {children}
      </svg>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Day (UTC)</th>
            {table.map((column) => (
              <th key={column.label} scope="col">
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {days.map((day, row) => (
            <tr key={day}>
              <th scope="row">{day}</th>
              {table.map((column) => (
                <td key={column.label}>{column.values[row]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** x of a day's band, and the band's width. */
export function band(index: number, count: number): { x: number; width: number } {
  const width = innerWidth / Math.max(count, 1);
  return { x: PLOT.left + width * index, width };
}

export function yOf(value: number, max: number): number {
  return PLOT.top + innerHeight - (Math.min(value, max) / max) * innerHeight;
}
