import { givenEvents } from '@ferry/eventsourcing/testing';
import { describe, it } from 'vitest';
import { ledgerDecider, type LedgerCommand, type LedgerEvent } from './ledger.ts';

type Registration = Extract<LedgerCommand, { type: 'RegisterJob' }>['data'];

const sync: Registration = { configType: 'sync', configId: 'c1', exclusive: true, idempotencyKey: null };
const registered = (jobId: number, data: Registration = sync): LedgerEvent => ({
  type: 'JobRegistered',
  data: { ...data, jobId },
});

describe('ledgerDecider', () => {
  it('hands out sequential ids', () => {
    const check: Registration = {
      configType: 'check_connection_source',
      configId: 's',
      exclusive: false,
      idempotencyKey: null,
    };
    givenEvents(ledgerDecider, [registered(1, check)])
      .when({ type: 'RegisterJob', data: check })
      .thenEmits([registered(2, check)]);
  });
  it('answers a second sync of a busy connection with the active job, and a reset with a conflict', () => {
    givenEvents(ledgerDecider, [registered(1)])
      .when({ type: 'RegisterJob', data: sync })
      .thenEmits([]);
    givenEvents(ledgerDecider, [registered(1)])
      .when({ type: 'RegisterJob', data: { ...sync, configType: 'reset_connection' } })
      .thenFails('connection.busy');
  });
  it('frees the connection once its job is released, and applies an idempotency key once', () => {
    const released: LedgerEvent = { type: 'JobReleased', data: { configId: 'c1', jobId: 1 } };
    givenEvents(ledgerDecider, [registered(1), released])
      .when({ type: 'RegisterJob', data: sync })
      .thenEmits([registered(2)]);
    const keyed: Registration = { ...sync, idempotencyKey: 'k' };
    givenEvents(ledgerDecider, [registered(1, keyed), released])
      .when({ type: 'RegisterJob', data: keyed })
      .thenEmits([]);
  });
});
