import { defineConfig } from 'vitest/config';

// One run covers every tier (STYLE.md habit 8): *.spec.ts pure, *.int.spec.ts with real servers,
// tests/ end-to-end over HTTP. Integration suites start their own servers (nats-server, SQLite files,
// connector processes), so files run in separate forks.
export default defineConfig({
  test: {
    include: ['packages/**/*.spec.ts', 'services/**/*.spec.ts', 'tests/**/*.spec.ts'],
    exclude: ['**/node_modules/**'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results/results.json' },
  },
});
