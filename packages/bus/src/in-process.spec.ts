import { expect, it } from 'vitest';
import { busContract } from './contract-suite.ts';
import { createInProcessBus } from './in-process.ts';
import { sleep } from './contract/support.ts';

busContract('in-process', async () => {
  const bus = createInProcessBus();
  return { bus, cleanup: () => bus.close() };
});

it('reports a throwing subscriber and a handler defect to onError', async () => {
  const errors: unknown[] = [];
  const bus = createInProcessBus({ onError: (error) => errors.push(error) });
  const bug = new Error('bug');
  await bus.subscribe('a', () => {
    throw bug;
  });
  await bus.handle('b', () => {
    throw bug;
  });
  await bus.publish('a', {});
  await bus.request('b', {}).catch(() => {});
  await sleep(0);
  expect(errors).toEqual([bug, bug]);
});

it('gives each receiver its own copy of the payload', async () => {
  const bus = createInProcessBus();
  const payload = { tags: ['x'] };
  await bus.handle('mutate', (received) => {
    (received as typeof payload).tags.push('changed');
    return received;
  });
  const reply = await bus.request('mutate', payload);
  expect(payload.tags).toEqual(['x']);
  expect(reply).not.toBe(payload);
});
