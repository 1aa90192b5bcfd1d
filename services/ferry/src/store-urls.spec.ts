import { describe, expect, it } from 'vitest';
import { parseStoreUrl } from './store-urls.ts';

const event = (url: string) => parseStoreUrl('event', 'FERRY_EVENT_STORE_URL', url, '/data', 'events.sqlite');
const read = (url: string) =>
  parseStoreUrl('read', 'FERRY_READ_STORE_URL', url, '/data', 'read-models.sqlite');

describe('store URLs', () => {
  it('takes sqlite: as the default file in the data directory, or a file of its own', () => {
    expect(event('sqlite:')).toEqual({ kind: 'sqlite', file: '/data/events.sqlite' });
    expect(event('sqlite:/var/ferry/log.db')).toEqual({ kind: 'sqlite', file: '/var/ferry/log.db' });
    expect(read('sqlite://models.db')).toEqual({ kind: 'sqlite', file: '/data/models.db' });
  });

  it('takes PostgreSQL for both stores, with an optional schema that the driver never sees', () => {
    expect(event('postgres://u:p@db:5432/ferry')).toEqual({
      kind: 'postgres',
      connectionString: 'postgres://u:p@db:5432/ferry',
      schema: 'ferry',
    });
    expect(read('postgresql://db/ferry?schema=team_a&sslmode=require')).toEqual({
      kind: 'postgres',
      connectionString: 'postgresql://db/ferry?sslmode=require',
      schema: 'team_a',
    });
  });

  it('takes EventStoreDB only for events and MongoDB only for read models', () => {
    expect(event('esdb://localhost:2113?tls=false')).toMatchObject({ kind: 'esdb' });
    expect(event('kurrentdb://localhost:2113')).toMatchObject({ kind: 'esdb' });
    expect(read('mongodb://localhost:27017')).toMatchObject({ kind: 'mongodb' });
    expect(() => read('esdb://localhost:2113')).toThrow(
      'FERRY_READ_STORE_URL: "esdb:" is not a read store; use sqlite:<file>, postgres://… or mongodb://…',
    );
    expect(() => event('mongodb://localhost')).toThrow(
      /FERRY_EVENT_STORE_URL: "mongodb:" is not an? event store/,
    );
  });

  it('refuses what it cannot read, naming the setting in one line', () => {
    for (const bad of ['mysql://db', 'localhost:5432', '/var/data', '']) {
      expect(() => event(bad)).toThrow(/^FERRY_EVENT_STORE_URL: /);
    }
    expect(() => event('postgres://db/x?schema=Robert";DROP')).toThrow(/FERRY_EVENT_STORE_URL: .*schema/);
    expect(() => read('postgres://[::1')).toThrow(/FERRY_READ_STORE_URL: not a valid URL/);
  });
});
