import { describe, expect, it } from 'vitest';
import { reasonOf, serverOf } from './connection.ts';

describe('naming the server', () => {
  it('is host:port/database, never the user or password', () => {
    expect(serverOf('postgres://ferry:s3cret@db.internal:6432/events?sslmode=require')).toBe(
      'db.internal:6432/events',
    );
    expect(serverOf('postgresql://ferry@localhost')).toBe('localhost:5432/ferry');
  });

  it('rejects what is not a postgres:// URL with one clear line', () => {
    expect(() => serverOf('host=db user=ferry')).toThrow(
      /^Cannot reach the PostgreSQL event store: the connection string is not a postgres:\/\/ URL$/,
    );
    expect(() => serverOf('mysql://db/events')).toThrow(/starts with mysql:\/\/, not postgres:\/\//);
  });

  it("takes a refused connection's reason from inside Node's AggregateError", () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(reasonOf(new AggregateError([refused], ''))).toBe('connect ECONNREFUSED 127.0.0.1:1');
  });
});
