/** A reading of a running attempt's counts (jobs/get), taken when the console saw it. */
export interface Sample {
  /** Milliseconds since the epoch, the console's clock. */
  at: number;
  records: number;
  bytes: number;
}

export interface Rate {
  at: number;
  recordsPerSecond: number;
  bytesPerSecond: number;
}

/** How many samples a chart keeps: two minutes at one a second. */
export const MAX_SAMPLES = 120;

/** Adds a sample unless it repeats the last one's counts within a second; drops the oldest past the cap. */
export const addSample = (samples: readonly Sample[], next: Sample): Sample[] => {
  const last = samples.at(-1);
  if (last && next.at - last.at < 1_000 && next.records === last.records && next.bytes === last.bytes)
    return samples as Sample[];
  if (last && next.records < last.records) return [next]; // a new attempt started from zero
  return [...samples, next].slice(-MAX_SAMPLES);
};

/** Rates between consecutive samples; none from a single sample. Never negative. */
export const ratesOf = (samples: readonly Sample[]): Rate[] =>
  samples.slice(1).map((sample, index) => {
    const previous = samples[index]!;
    const seconds = Math.max(0.001, (sample.at - previous.at) / 1_000);
    return {
      at: sample.at,
      recordsPerSecond: Math.max(0, (sample.records - previous.records) / seconds),
      bytesPerSecond: Math.max(0, (sample.bytes - previous.bytes) / seconds),
    };
  });

/** An SVG polyline's points for values over times, scaled into a width × height box (y grows down). */
export const polylinePoints = (
  points: readonly { x: number; y: number }[],
  width: number,
  height: number,
): string => {
  if (points.length === 0) return '';
  const xs = points.map((p) => p.x);
  const [minX, maxX] = [Math.min(...xs), Math.max(...xs)];
  const maxY = Math.max(1, ...points.map((p) => p.y));
  const spanX = maxX - minX || 1;
  return points
    .map(
      (p) => `${(((p.x - minX) / spanX) * width).toFixed(1)},${(height - (p.y / maxY) * height).toFixed(1)}`,
    )
    .join(' ');
};
