import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';

/** The MariaDB (or MySQL) the tests use: FERRY_TEST_MYSQL_URL, else this machine's 127.0.0.1:3306 as root. */
export const testMySqlServer = () => {
  const url = new URL(process.env.FERRY_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test');
  return {
    host: url.hostname,
    port: Number(url.port || 3306),
    username: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
  };
};

export interface TestDatabase {
  /** The connector configuration's connection fields for it. */
  config: { host: string; port: number; database: string; username: string; password: string };
  /** An admin connection to it, for setting up and reading back. */
  admin: mysql.Connection;
  drop(): Promise<void>;
}

/** A database of one test's own, dropped (with everything in it) by `drop()`. */
export async function createTestDatabase(prefix = 'ferry_test'): Promise<TestDatabase> {
  const server = testMySqlServer();
  const database = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection({
    host: server.host,
    port: server.port,
    user: server.username,
    password: server.password,
    timezone: 'Z',
    dateStrings: true,
  });
  await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`);
  await admin.query(`USE \`${database}\``);
  await admin.query("SET time_zone = '+00:00'");
  // Recursive CTEs generate the tests' rows: lift the depth limit (MariaDB's name, then MySQL's).
  await admin.query('SET SESSION max_recursive_iterations = 10000000').catch(() => {});
  await admin.query('SET SESSION cte_max_recursion_depth = 10000000').catch(() => {});
  return {
    config: { ...server, database },
    admin,
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await admin.end();
    },
  };
}
