import { describe, expect, it } from 'vitest';
import { reasonOf, serverOf, unreachable } from './server.ts';

const store = 'PostgreSQL event store';

describe('naming the server', () => {
  it('is host:port/database, never the user or password', () => {
    expect(serverOf('postgres://ferry:s3cret@db.internal:6432/events?sslmode=require', store)).toBe(
      'db.internal:6432/events',
    );
    expect(serverOf('postgresql://ferry@localhost', store)).toBe('localhost:5432/ferry');
    expect(serverOf('postgres:///events?host=/var/run/postgresql', store)).toBe(
      '/var/run/postgresql:5432/events',
    );
  });

  it('rejects what is not a postgres:// URL with one clear line, without repeating it', () => {
    expect(() => serverOf('host=db user=ferry password=s3cret', store)).toThrow(
      /^Cannot reach the PostgreSQL event store: the connection string is not a postgres:\/\/ URL$/,
    );
    expect(() => serverOf('mysql://root:s3cret@db/events', 'PostgreSQL read store')).toThrow(
      /^Cannot reach the PostgreSQL read store: the connection string is a mysql:\/\/ URL, not a postgres:\/\/ URL$/,
    );
  });
});

describe('the error of a store that cannot open', () => {
  it('names the store, the server and the reason on one line, and keeps the cause', () => {
    const cause = new Error('database "x" does not exist\nDETAIL: more');
    const error = unreachable(store, 'db:5432/x', cause);
    expect(error.message).toBe(
      'Cannot reach the PostgreSQL event store at postgres://db:5432/x: database "x" does not exist DETAIL: more',
    );
    expect(error.cause).toBe(cause);
  });

  it("takes a refused connection's reason from inside Node's AggregateError", () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(reasonOf(new AggregateError([refused], ''))).toBe('connect ECONNREFUSED 127.0.0.1:1');
    expect(reasonOf(Object.assign(new Error(''), { code: 'ETIMEDOUT' }))).toBe('ETIMEDOUT');
  });
});
