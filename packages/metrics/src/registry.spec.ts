import { describe, expect, it } from 'vitest';
import { createMetricsRegistry } from './registry.ts';

describe('metrics registry', () => {
  it('renders a histogram and its count as a counter, in the gateway’s format', () => {
    const metrics = createMetricsRegistry();
    const requests = metrics.histogram({
      name: 'ferry_http_request_duration_seconds',
      help: 'Time to answer an HTTP request.',
      total: { name: 'ferry_http_requests_total', help: 'HTTP requests answered, by route and status.' },
    });
    const labels = { method: 'POST', route: '/api/v1/sources/list', status: '503' };
    requests.observe(labels, 0.003);
    requests.observe(labels, 0.2);
    const text = metrics.render();
    expect(text).toContain(
      'ferry_http_requests_total{method="POST",route="/api/v1/sources/list",status="503"} 2',
    );
    expect(text).toContain(
      'ferry_http_request_duration_seconds_bucket{method="POST",route="/api/v1/sources/list",status="503",le="0.005"} 1',
    );
    expect(text).toContain(
      'ferry_http_request_duration_seconds_bucket{method="POST",route="/api/v1/sources/list",status="503",le="+Inf"} 2',
    );
    expect(text).toContain('# TYPE ferry_http_request_duration_seconds histogram');
    expect(requests.get(labels)).toEqual({ count: 2, sum: 0.203 });
  });

  it('hands the same histogram to everyone asking for its name, so a metric is rendered once', () => {
    const metrics = createMetricsRegistry();
    const options = { name: 'ferry_operation_duration_seconds', help: 'Time to answer an operation.' };
    metrics.histogram(options).observe({ service: 'config' }, 0.01);
    metrics.histogram(options).observe({ service: 'jobs' }, 0.01);
    expect(metrics.render().match(/# TYPE ferry_operation_duration_seconds/g)).toHaveLength(1);
    expect(metrics.render()).toContain('ferry_operation_duration_seconds_count{service="jobs"} 1');
  });

  it('escapes label values', () => {
    const metrics = createMetricsRegistry();
    metrics.histogram({ name: 'h', help: 'h' }).observe({ route: 'a"b\\c' }, 1);
    expect(metrics.render()).toContain('h_count{route="a\\"b\\\\c"} 1');
  });
});
