import { TERMINAL_OUTCOMES, type OverviewDay, type TerminalOutcome } from '@garrison/core';
import { formatSeconds, formatUsd, niceCeiling } from '../../lib/chart-scale';
import { band, ChartFrame, PLOT, yOf } from './chart-frame';

/** Outcome colours: theme chart tokens, so both themes keep their contrast. */
const OUTCOME_CLASS: Record<TerminalOutcome, { fill: string; swatch: string }> = {
  completed: { fill: 'fill-chart-2', swatch: 'bg-chart-2' },
  failed: { fill: 'fill-chart-3', swatch: 'bg-chart-3' },
  canceled: { fill: 'fill-chart-5', swatch: 'bg-chart-5' },
  blocked: { fill: 'fill-chart-4', swatch: 'bg-chart-4' },
  interrupted: { fill: 'fill-chart-1', swatch: 'bg-chart-1' },
};

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** Missions that ended each day, stacked by how they ended. */
export function OutcomesChart({ daily }: { daily: OverviewDay[] }) {
  const totals = daily.map((day) => sum(TERMINAL_OUTCOMES.map((outcome) => day.outcomes[outcome])));
  // Whole missions on every one of the four gridlines.
  const max = Math.max(4, Math.ceil(Math.max(...totals, 0) / 4) * 4);
  const ended = sum(totals);
  const counts = TERMINAL_OUTCOMES.map((outcome) => `${sum(daily.map((day) => day.outcomes[outcome]))} ${outcome}`).join(', ');
  return (
    <ChartFrame
      testId="chart-outcomes"
      title="Missions ended per day, by outcome"
      summary={`${ended} missions ended in the last ${daily.length} days: ${counts}.`}
      days={daily.map((day) => day.day)}
      max={max}
      formatTick={(value) => String(Math.round(value))}
      yLabel="Missions"
      legend={TERMINAL_OUTCOMES.map((outcome) => ({ label: outcome, className: OUTCOME_CLASS[outcome].swatch }))}
      table={[
        { label: 'Dispatched', values: daily.map((day) => day.started) },
        ...TERMINAL_OUTCOMES.map((outcome) => ({ label: outcome, values: daily.map((day) => day.outcomes[outcome]) })),
      ]}
    >
      {daily.map((day, index) => {
        const { x, width } = band(index, daily.length);
        let top = yOf(0, max);
        return (
          <g key={day.day}>
            {TERMINAL_OUTCOMES.map((outcome) => {
              const count = day.outcomes[outcome];
              if (count === 0) return null;
              const height = yOf(0, max) - yOf(count, max);
              top -= height;
              return (
                <rect key={outcome} x={x + width * 0.18} width={width * 0.64} y={top} height={height} className={OUTCOME_CLASS[outcome].fill}>
                  <title>{`${day.day}: ${count} ${outcome}`}</title>
                </rect>
              );
            })}
          </g>
        );
      })}
    </ChartFrame>
  );
}

function linePath(values: (number | null)[], max: number): string {
  let path = '';
  let drawing = false;
  values.forEach((value, index) => {
    if (value === null) {
      drawing = false;
      return;
    }
    const { x, width } = band(index, values.length);
    path += `${drawing ? 'L' : 'M'}${(x + width / 2).toFixed(1)},${yOf(value, max).toFixed(1)}`;
    drawing = true;
  });
  return path;
}

/** Median and p90 run time of the missions that ended each day. */
export function DurationChart({ daily }: { daily: OverviewDay[] }) {
  const p90 = daily.map((day) => day.durationP90S);
  const median = daily.map((day) => day.durationMedianS);
  const max = niceCeiling(Math.max(...p90.map((value) => value ?? 0), ...median.map((value) => value ?? 0), 0), 1);
  const measured = daily.filter((day) => day.durationMedianS !== null);
  const latest = measured.at(-1);
  const summary = latest
    ? `Run time on ${measured.length} of ${daily.length} days; latest ${latest.day}: median ${formatSeconds(latest.durationMedianS)}, p90 ${formatSeconds(latest.durationP90S)}.`
    : `No mission ended in the last ${daily.length} days.`;
  return (
    <ChartFrame
      testId="chart-duration"
      title="Run time per day (median and p90)"
      summary={summary}
      days={daily.map((day) => day.day)}
      max={max}
      formatTick={(value) => formatSeconds(value).replace(' min ', 'm').replace(/ s$/, 's')}
      yLabel="Seconds"
      legend={[
        { label: 'median', className: 'bg-chart-1' },
        { label: 'p90', className: 'bg-chart-4' },
      ]}
      table={[
        { label: 'Median', values: median.map(formatSeconds) },
        { label: 'p90', values: p90.map(formatSeconds) },
      ]}
    >
      {(
        [
          ['p90', p90, 'stroke-chart-4 fill-chart-4'],
          ['median', median, 'stroke-chart-1 fill-chart-1'],
        ] as const
      ).map(([name, values, className]) => (
        <g key={name} className={className}>
          <path d={linePath(values, max)} fill="none" strokeWidth={2} strokeDasharray={name === 'p90' ? '5 3' : undefined} />
          {values.map((value, index) => {
            if (value === null) return null;
            const { x, width } = band(index, values.length);
            return (
              <circle key={index} cx={x + width / 2} cy={yOf(value, max)} r={2.5} stroke="none">
                <title>{`${daily[index]!.day}: ${name} ${formatSeconds(value)}`}</title>
              </circle>
            );
          })}
        </g>
      ))}
    </ChartFrame>
  );
}

/** Model spend per day, as the gateway metered it. */
export function CostChart({ daily }: { daily: OverviewDay[] }) {
  const max = niceCeiling(Math.max(...daily.map((day) => day.costUsd), 0), 0.01);
  const total = sum(daily.map((day) => day.costUsd));
  return (
    <ChartFrame
      testId="chart-cost"
      title="Model cost per day"
      summary={`${formatUsd(total)} in the last ${daily.length} days${total > 0 ? `, most on ${[...daily].sort((a, b) => b.costUsd - a.costUsd)[0]!.day}` : ''}.`}
      days={daily.map((day) => day.day)}
      max={max}
      formatTick={(value) => `$${Number(value.toPrecision(3))}`}
      yLabel="USD"
      table={[{ label: 'Cost (USD)', values: daily.map((day) => formatUsd(day.costUsd)) }]}
    >
      {daily.map((day, index) => {
        if (day.costUsd <= 0) return null;
        const { x, width } = band(index, daily.length);
        return (
          <rect key={day.day} x={x + width * 0.18} width={width * 0.64} y={yOf(day.costUsd, max)} height={yOf(0, max) - yOf(day.costUsd, max)} className="fill-chart-1">
            <title>{`${day.day}: ${formatUsd(day.costUsd)}`}</title>
          </rect>
        );
      })}
      <line x1={PLOT.left} x2={PLOT.width - PLOT.right} y1={yOf(0, max)} y2={yOf(0, max)} className="stroke-border-strong" strokeWidth={1} />
    </ChartFrame>
  );
}
