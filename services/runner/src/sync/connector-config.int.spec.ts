import { randomBytes } from 'node:crypto';
import { contextFromHeaders, type OperationClient } from '@ferry/rpc';
import { createSecretSealer, fixedKeyring, secretKeyOf } from '@ferry/secrets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configured, IMAGES, syncSandbox } from '../../test/sync-support.ts';
import { unsealingRuntime } from '../unsealing.ts';
import { runAttempt } from './attempt.ts';

/**
 * CONTROL connector-config updates (issue 12, part C): a source that refreshes its token mid-sync gets the
 * new configuration stored on its actor, sealed before it leaves the runner.
 */
let box: Awaited<ReturnType<typeof syncSandbox>>;
beforeAll(async () => {
  box = await syncSandbox();
});
afterAll(() => box.remove());

const sealer = createSecretSealer(fixedKeyring([secretKeyOf(randomBytes(32))]));
const spec = { properties: { token: { type: 'string', airbyte_secret: true } } };

describe('a CONTROL message from a connector', () => {
  it('stores its new configuration on the actor, secrets sealed, whatever the attempt', async () => {
    const calls: { op: string; body: Record<string, unknown> }[] = [];
    const call = (async (op: string, body: Record<string, unknown>) => {
      calls.push({ op, body });
      if (op === 'reportAttemptProgress') return { cancelled: false };
      if (op === 'updateActorConfiguration') return { updated: true };
      return { recorded: true };
    }) as unknown as OperationClient;
    const config = sealer.seal(
      { count: 5, streams: ['a'], token: 'old-token', refreshTo: 'new-token' },
      spec,
    );
    const streams = [configured('a', 'incremental', 'append', 'id')];
    const request = box.request({ image: IMAGES.modern, config }, IMAGES.json, streams);
    request.source = { ...request.source!, actorId: '00000000-0000-4000-8000-0000000000aa' };
    await runAttempt(
      { runtime: unsealingRuntime(box.runtime, sealer), sealer, call },
      contextFromHeaders({}),
      request,
      new AbortController(),
    );
    const update = calls.find((c) => c.op === 'updateActorConfiguration');
    expect(update?.body).toMatchObject({ kind: 'source', actorId: '00000000-0000-4000-8000-0000000000aa' });
    // The token crosses the bus sealed, as the stored one was; the rest is the connector's new config.
    expect(JSON.stringify(update?.body)).not.toContain('new-token');
    const configuration = update!.body.configuration as Record<string, unknown>;
    expect(sealer.unseal(configuration)).toEqual({ count: 5, streams: ['a'], token: 'new-token' });
    expect(calls.find((c) => c.op === 'reportAttemptOutcome')?.body).toMatchObject({ succeeded: true });
  });
});
