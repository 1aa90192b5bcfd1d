import type { FastifyInstance } from 'fastify';

/** Upper bounds (seconds) of the request-duration histogram's buckets. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

interface Series {
  count: number;
  sum: number;
  buckets: number[];
}

const label = (value: string) => value.replaceAll('\\', '\\\\').replaceAll('"', '\\"');

/**
 * `GET /api/v1/metrics`: HTTP requests in Prometheus' text format, by route and status, with a duration
 * histogram. Kept in this process's memory: each gateway replica is scraped on its own.
 */
export const registerMetrics = (app: FastifyInstance) => {
  const series = new Map<string, Series>();
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const key = `method="${request.method}",route="${label(route)}",status="${reply.statusCode}"`;
    const seconds = reply.elapsedTime / 1000;
    const entry = series.get(key) ?? { count: 0, sum: 0, buckets: BUCKETS.map(() => 0) };
    entry.count += 1;
    entry.sum += seconds;
    BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) entry.buckets[i]! += 1;
    });
    series.set(key, entry);
  });
  const render = () => {
    const lines = [
      '# HELP ferry_http_requests_total HTTP requests answered, by route and status.',
      '# TYPE ferry_http_requests_total counter',
      ...[...series].map(([key, s]) => `ferry_http_requests_total{${key}} ${s.count}`),
      '# HELP ferry_http_request_duration_seconds Time to answer an HTTP request.',
      '# TYPE ferry_http_request_duration_seconds histogram',
    ];
    for (const [key, s] of series) {
      BUCKETS.forEach((bound, i) => {
        lines.push(`ferry_http_request_duration_seconds_bucket{${key},le="${bound}"} ${s.buckets[i]}`);
      });
      lines.push(`ferry_http_request_duration_seconds_bucket{${key},le="+Inf"} ${s.count}`);
      lines.push(`ferry_http_request_duration_seconds_sum{${key}} ${s.sum}`);
      lines.push(`ferry_http_request_duration_seconds_count{${key}} ${s.count}`);
    }
    return `${lines.join('\n')}\n`;
  };
  for (const url of ['/api/v1/metrics', '/v1/metrics']) {
    app.get(url, async (_request, reply) => reply.type('text/plain; version=0.0.4').send(render()));
  }
};
