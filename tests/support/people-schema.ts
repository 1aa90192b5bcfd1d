import pg from 'pg';

/**
 * A schema of the test's own on the local PostgreSQL (trust auth on 127.0.0.1, so any password connects),
 * holding `people`: five rows for a PostgreSQL source to read.
 */
export const peopleSchema = (prefix: string) => {
  const schema = `${prefix}_${process.pid}_${Date.now()}`;
  const db = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
  return {
    schema,
    /** The stream a discover names the table by. */
    stream: `${schema}.people`,
    create: async () => {
      await db.connect();
      await db.query(`create schema ${schema}`);
      await db.query(`create table ${schema}.people (id int primary key, name text)`);
      await db.query(`insert into ${schema}.people select i, 'person ' || i from generate_series(1, 5) i`);
    },
    drop: async () => {
      await db.query(`drop schema if exists ${schema} cascade`);
      await db.end();
    },
  };
};

/** A PostgreSQL source's configuration for that schema, with the given password. */
export const peopleSource = (schema: string, password: string) => ({
  host: '127.0.0.1',
  port: 5432,
  database: 'postgres',
  username: 'postgres',
  password,
  schemas: [schema],
});
