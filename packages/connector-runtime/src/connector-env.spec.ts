import { describe, expect, it } from 'vitest';
import { connectorEnvironment } from './connector-env.ts';

describe('a connector process environment', () => {
  it("keeps what a program needs to run and none of the runner's settings or credentials", () => {
    const env = connectorEnvironment({
      PATH: '/usr/bin',
      HOME: '/home/ferry',
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      TZ: 'UTC',
      FERRY_SECRET_KEY: 'a'.repeat(64),
      NATS_PASSWORD: 'hunter2',
      NATS_URL: 'nats://ferry:hunter2@nats:4222',
      FERRY_EVENT_STORE_URL: 'postgres://ferry:hunter2@db/ferry',
      AWS_SECRET_ACCESS_KEY: 'x',
    });
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/ferry',
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      TZ: 'UTC',
    });
  });
});
