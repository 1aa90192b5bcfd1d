import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { natsServerConfig } from './nats-server-config.ts';

const SAMPLE = new URL('../../../deploy/nats/nats-server.conf', import.meta.url);

it('keeps deploy/nats/nats-server.conf as the operation table makes it', () => {
  expect(
    readFileSync(SAMPLE, 'utf8'),
    'the operation table changed: bash scripts/ferry exec node scripts/nats-server-conf.ts',
  ).toBe(natsServerConfig());
});
