import { bytesText, countText } from '../ui/format.ts';
import { polylinePoints, type Rate, ratesOf, type Sample } from './rates.ts';

const WIDTH = 320;
const HEIGHT = 80;

const Line = ({
  title,
  values,
  unit,
}: {
  title: string;
  values: { x: number; y: number }[];
  unit: (n: number) => string;
}) => {
  const current = values.at(-1)?.y ?? 0;
  const peak = Math.max(0, ...values.map((v) => v.y));
  const summary = `${title}: now ${unit(current)}, peak ${unit(peak)}`;
  return (
    <figure class="chart">
      <figcaption>
        {title}: <strong>{unit(current)}</strong> <span class="hint">(peak {unit(peak)})</span>
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width={WIDTH}
        height={HEIGHT}
        role="img"
        aria-label={summary}
        preserveAspectRatio="none"
      >
        <polyline
          points={polylinePoints(values, WIDTH, HEIGHT)}
          fill="none"
          stroke="currentColor"
          stroke-width="2"
        />
      </svg>
    </figure>
  );
};

const perSecond = (format: (n: number) => string) => (n: number) => `${format(Math.round(n))}/s`;

/**
 * Records per second and bytes per second of a running attempt, from the counts the console has seen. Each
 * chart says its current and peak value in words, so it needs no eyes to read.
 */
export const LiveChart = ({ samples }: { samples: readonly Sample[] }) => {
  const rates: Rate[] = ratesOf(samples);
  return (
    <div class="charts" aria-live="off">
      <Line
        title="Records"
        values={rates.map((r) => ({ x: r.at, y: r.recordsPerSecond }))}
        unit={perSecond(countText)}
      />
      <Line
        title="Bytes"
        values={rates.map((r) => ({ x: r.at, y: r.bytesPerSecond }))}
        unit={perSecond(bytesText)}
      />
    </div>
  );
};
