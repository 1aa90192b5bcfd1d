import { type MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from '@ferry/metrics';
import type { FastifyInstance } from 'fastify';

/** HTTP requests by route and status, with the time each took. */
export const HTTP_REQUEST_DURATION = {
  name: 'ferry_http_request_duration_seconds',
  help: 'Time to answer an HTTP request.',
  total: { name: 'ferry_http_requests_total', help: 'HTTP requests answered, by route and status.' },
};

/**
 * `GET /api/v1/metrics`: the process's metrics in Prometheus' text format: HTTP requests by route and
 * status with a duration histogram, and whatever else shares the registry (the operation durations of the
 * services running in this process). Kept in this process's memory: each replica is scraped on its own.
 */
export const registerMetrics = (app: FastifyInstance, metrics: MetricsRegistry) => {
  const requests = metrics.histogram(HTTP_REQUEST_DURATION);
  // A callback hook: an async one costs a promise fastify awaits on every answer.
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route, status: String(reply.statusCode) };
    requests.observe(labels, reply.elapsedTime / 1000);
    done();
  });
  for (const url of ['/api/v1/metrics', '/v1/metrics']) {
    app.get(url, async (_request, reply) => reply.type(PROMETHEUS_CONTENT_TYPE).send(metrics.render()));
  }
};
