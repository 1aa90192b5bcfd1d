import { createInProcessBus } from '@ferry/bus';
import type { RequestOf } from '@ferry/contracts';
import { describe, expect, it } from 'vitest';
import { callOperation } from './client.ts';
import type { ServiceHandlers } from './handlers.ts';
import { serveTypedOperations } from './serve.ts';

// The `// @ts-expect-error` lines are the type-level half of this file: `tsc` (part of `npm test`) fails when
// one of them compiles, i.e. when the table stops catching a missing or wrongly typed handler.

const runner: ServiceHandlers<'runner'> = {
  runConnectorCommand: async () => ({ body: { succeeded: true, failureReason: null, output: null } }),
  runSyncAttempt: async () => ({ body: { accepted: true } }),
  pingRunner: async () => ({ body: { ready: true } }),
};

// @ts-expect-error pingRunner is missing
const missingHandler: ServiceHandlers<'runner'> = {
  runConnectorCommand: runner.runConnectorCommand,
  runSyncAttempt: runner.runSyncAttempt,
};

const wrongResponse: ServiceHandlers<'runner'> = {
  ...runner,
  // @ts-expect-error `ready` is a boolean
  pingRunner: async () => ({ body: { ready: 'yes' } }),
};

const wrongRequest: ServiceHandlers<'runner'> = {
  ...runner,
  // @ts-expect-error a handler of another operation's request
  runSyncAttempt: async (request: RequestOf<'runConnectorCommand'>) => ({
    body: { accepted: request.command === 'spec' },
  }),
};

const surplusHandler: ServiceHandlers<'runner'> = {
  ...runner,
  // @ts-expect-error getWorkspace is the config service's
  getWorkspace: async () => ({ body: {} }),
};

describe('the operation table, typed end to end', () => {
  it('rejects the wrongly typed handlers above at compile time, not at run time', () => {
    expect([missingHandler, wrongResponse, wrongRequest, surplusHandler]).toHaveLength(4);
  });

  it('serves typed handlers and answers a call by operation id with its typed reply', async () => {
    const bus = createInProcessBus();
    try {
      await serveTypedOperations(bus, 'runner', runner);
      const options = { headers: {}, deadlineMs: 1_000 };
      const reply = await callOperation(bus, 'pingRunner', {}, options);
      const ready: boolean = reply.body.ready;
      expect(ready).toBe(true);
      // @ts-expect-error the request of runSyncAttempt, not of pingRunner
      await expect(callOperation(bus, 'pingRunner', { jobId: 1 }, options)).resolves.toBeDefined();
    } finally {
      await bus.close();
    }
  });

  it('refuses at start-up a service whose handlers were built at run time with one missing', async () => {
    const bus = createInProcessBus();
    try {
      const { pingRunner: _, ...rest } = runner;
      const builtAtRunTime: Record<string, unknown> = rest;
      // @ts-expect-error what `tsc` would refuse, built where it cannot see
      await expect(serveTypedOperations(bus, 'runner', builtAtRunTime)).rejects.toThrow(
        'runner service lacks handlers for pingRunner',
      );
    } finally {
      await bus.close();
    }
  });
});
