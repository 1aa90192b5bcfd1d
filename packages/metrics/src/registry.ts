/**
 * Metrics in Prometheus' text format (0.0.4), kept in the process's memory: each replica is scraped on its
 * own. Small on purpose: histograms (with their count as a `_total` counter when asked) are all Ferry records.
 */

/** Upper bounds (seconds) of a duration histogram's buckets, from 5 ms to a minute. */
export const DEFAULT_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

/** The `Content-Type` of `render()`'s text. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4';

export type Labels = Readonly<Record<string, string>>;

export interface HistogramOptions {
  /** e.g. `ferry_http_request_duration_seconds`. */
  name: string;
  help: string;
  buckets?: readonly number[];
  /** Also render the observation count as a counter of this name, e.g. `ferry_http_requests_total`. */
  total?: { name: string; help: string };
}

export interface Histogram {
  observe(labels: Labels, seconds: number): void;
  /** The observations so far with these labels (their count and sum), for tests and `/v1/debug`. */
  get(labels: Labels): { count: number; sum: number } | undefined;
}

export interface MetricsRegistry {
  /** The histogram of this name, made on first use: services sharing a process share its series. */
  histogram(options: HistogramOptions): Histogram;
  /** Every metric, in the order first asked for. */
  render(): string;
}

interface Series {
  count: number;
  sum: number;
  buckets: number[];
}

const NEEDS_ESCAPE = /[\\"\n]/;
// Most values need no escaping; the test spares three replaceAll calls on every observation.
const escapeLabel = (value: string) =>
  NEEDS_ESCAPE.test(value)
    ? value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')
    : value;
/** Built on every observation (twice per API call), so a plain loop rather than entries/map/join. */
const labelText = (labels: Labels) => {
  let text = '';
  for (const key in labels) text += `${text === '' ? '' : ','}${key}="${escapeLabel(labels[key]!)}"`;
  return text;
};

const createHistogram = (options: HistogramOptions) => {
  const buckets = options.buckets ?? DEFAULT_BUCKETS;
  const series = new Map<string, Series>();
  const histogram: Histogram = {
    observe(labels, seconds) {
      const key = labelText(labels);
      const entry = series.get(key) ?? { count: 0, sum: 0, buckets: buckets.map(() => 0) };
      entry.count += 1;
      entry.sum += seconds;
      for (let i = 0; i < buckets.length; i++) if (seconds <= buckets[i]!) entry.buckets[i]! += 1;
      series.set(key, entry);
    },
    get(labels) {
      const entry = series.get(labelText(labels));
      return entry && { count: entry.count, sum: entry.sum };
    },
  };
  const render = (): string[] => {
    const { name, help, total } = options;
    const lines = total
      ? [
          `# HELP ${total.name} ${total.help}`,
          `# TYPE ${total.name} counter`,
          ...[...series].map(([key, s]) => `${total.name}{${key}} ${s.count}`),
        ]
      : [];
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`);
    for (const [key, s] of series) {
      const prefix = key === '' ? '' : `${key},`;
      buckets.forEach((bound, i) => {
        lines.push(`${name}_bucket{${prefix}le="${bound}"} ${s.buckets[i]}`);
      });
      lines.push(`${name}_bucket{${prefix}le="+Inf"} ${s.count}`);
      lines.push(`${name}_sum{${key}} ${s.sum}`);
      lines.push(`${name}_count{${key}} ${s.count}`);
    }
    return lines;
  };
  return { histogram, render };
};

export const createMetricsRegistry = (): MetricsRegistry => {
  const metrics = new Map<string, ReturnType<typeof createHistogram>>();
  return {
    histogram(options) {
      const existing = metrics.get(options.name);
      if (existing) return existing.histogram;
      const made = createHistogram(options);
      metrics.set(options.name, made);
      return made.histogram;
    },
    render: () => `${[...metrics.values()].flatMap((m) => m.render()).join('\n')}\n`,
  };
};
