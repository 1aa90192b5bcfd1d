import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE_ID, definitionIdByName, startTestFerry, type TestFerry } from './support/ferry.ts';

/**
 * Issue 12, "Errors that say why", through the HTTP API: a real connector pointed at a closed port fails
 * its check and its discover with its own message (the connection refusal), never the password.
 */
let ferry: TestFerry;
let closedPort: number;
const password = `pw-${process.pid}-${Date.now()}`;

/** A port nothing listens on: one the system just handed out and took back. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  closedPort = await freePort();
  ferry = await startTestFerry();
}, 60_000);
afterAll(() => ferry?.stop());

const source = async (definition: string, config: Record<string, unknown>) => {
  const answer = await ferry.post('/v1/sources/create', {
    workspaceId: DEFAULT_WORKSPACE_ID,
    sourceDefinitionId: await definitionIdByName(ferry, 'source', definition),
    connectionConfiguration: { host: '127.0.0.1', port: closedPort, username: 'ferry', password, ...config },
    name: `${definition} at a closed port`,
  });
  expect(answer.status, answer.text).toBe(200);
  return answer.json.sourceId as string;
};

describe('a connector pointed at a closed port', () => {
  it.each([
    ['Postgres', { database: 'postgres', schemas: ['public'] }],
    ['MySQL', { database: 'test' }],
  ])('%s: check and discover answer with the connection refusal', async (definition, config) => {
    const sourceId = await source(definition, config);
    const check = await ferry.post('/v1/sources/check_connection', { sourceId });
    expect(check.status, check.text).toBe(200);
    expect(check.json.status).toBe('failed');
    expect(check.json.message).toMatch(new RegExp(`ECONNREFUSED 127.0.0.1:${closedPort}`));

    const discover = await ferry.post('/v1/sources/discover_schema', { sourceId });
    expect(discover.status, discover.text).toBeGreaterThanOrEqual(400);
    expect(discover.status).toBeLessThan(500);
    expect(discover.json.message).toMatch(
      new RegExp(`connector exited with code 1: .*ECONNREFUSED 127.0.0.1:${closedPort}`),
    );
    expect(`${check.text}${discover.text}`).not.toContain(password);
  });
});
