import { spawnSync } from 'node:child_process';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/** The end-to-end suites that run again in every variant (tests/support/variant.ts). */
const acrossVariants = [
  'tests/api-surface.spec.ts',
  'tests/behaviour.spec.ts',
  'tests/event-stream.spec.ts',
  'tests/history.spec.ts',
  'tests/lists.spec.ts',
  'tests/openapi-conformance.spec.ts',
  'tests/paging.spec.ts',
  'tests/syncs.spec.ts',
];

/** The docker variant needs an engine; `.ci/run` starts one (scripts/docker-engine.sh). */
const dockerAnswers = spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 15_000 }).status === 0;
if (!dockerAnswers)
  console.warn('vitest: no Docker engine answers: the docker project (connectors in containers) is left out');

const dockerProject: TestProjectInlineConfiguration = {
  extends: true,
  test: {
    name: 'docker',
    include: [
      'tests/connectors.spec.ts',
      'tests/syncs.spec.ts',
      'tests/mysql-syncs.spec.ts',
      'tests/connector-errors.spec.ts',
    ],
    env: { FERRY_TEST_VARIANT: 'docker' },
  },
};

// One run covers every tier (STYLE.md habit 8): *.spec.ts pure, *.int.spec.ts with real servers,
// tests/ end-to-end over HTTP. Integration suites start their own servers (nats-server, SQLite files,
// connector processes), so files run in separate forks. The `nats` project runs the API suites again with
// the services reached over a real nats-server; `postgres` runs them on the distributed mode's stores
// (NATS and PostgreSQL, a schema per run); `docker` runs the connector and sync suites with every
// connector in a container.
export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results/results.json' },
    projects: [
      {
        extends: true,
        test: {
          name: 'embedded',
          include: [
            'packages/**/*.spec.ts',
            'services/**/*.spec.ts',
            'tests/**/*.spec.ts',
            'bench/**/*.spec.ts',
          ],
          exclude: ['**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: { name: 'nats', include: acrossVariants, env: { FERRY_TEST_VARIANT: 'nats' } },
      },
      {
        extends: true,
        test: { name: 'postgres', include: acrossVariants, env: { FERRY_TEST_VARIANT: 'postgres' } },
      },
      ...(dockerAnswers ? [dockerProject] : []),
    ],
  },
});
