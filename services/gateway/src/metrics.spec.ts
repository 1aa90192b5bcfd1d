import { createInProcessBus } from '@ferry/bus';
import { describe, expect, it } from 'vitest';
import { buildGateway } from './app.ts';

describe('GET /api/v1/metrics', () => {
  it('counts answered requests by route and status, with a duration histogram', async () => {
    // No service answers on this bus: every operation is a fast 503, which is what we count here.
    const bus = createInProcessBus();
    const app = await buildGateway({ bus, version: 'test' });
    try {
      for (let i = 0; i < 3; i++)
        await app.inject({
          method: 'POST',
          url: '/api/v1/sources/list',
          payload: { workspaceId: '5ae6b09b-fdec-41af-aaf7-7d94cfc33ef6' },
        });
      await app.inject({ method: 'POST', url: '/api/v1/sources/list', payload: { workspaceId: 'nope' } });
      const metrics = await app.inject({ method: 'GET', url: '/api/v1/metrics' });
      expect(metrics.statusCode).toBe(200);
      expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
      expect(metrics.body).toContain(
        'ferry_http_requests_total{method="POST",route="/api/v1/sources/list",status="503"} 3',
      );
      expect(metrics.body).toContain(
        'ferry_http_requests_total{method="POST",route="/api/v1/sources/list",status="422"} 1',
      );
      expect(metrics.body).toMatch(
        /ferry_http_request_duration_seconds_bucket\{method="POST",route="\/api\/v1\/sources\/list",status="503",le="\+Inf"\} 3/,
      );
    } finally {
      await app.close();
      await bus.close();
    }
  });
});
