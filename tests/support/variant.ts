import { startNatsServer } from '@ferry/bus/testing';
import { dropSchema, testPostgresUrl, uniqueSchema } from '@ferry/contract-testing/postgres';

/**
 * The same end-to-end suites run in more than one setting (vitest.config.ts, projects): embedded
 * (in-process bus, connectors as processes), `nats` (the services reached over a real nats-server), and
 * `docker` (every connector in a container on a real Docker engine). A variant adds settings, and what it
 * started is stopped with the system.
 */
export type Variant = 'embedded' | 'nats' | 'postgres' | 'docker';
export const variant = (): Variant => (process.env.FERRY_TEST_VARIANT as Variant | undefined) ?? 'embedded';

export interface VariantSetup {
  env: Record<string, string>;
  /** The PostgreSQL schema holding both stores, in the postgres variant. */
  schema?: string;
  stop(): Promise<void>;
}

/** Settings a child Ferry process needs for the variant's connectors (the nats variant is in-process only). */
export const connectorSettings = (): Record<string, string> =>
  // Host networking: connectors reach PostgreSQL on 127.0.0.1, as they do as processes.
  variant() === 'docker' ? { FERRY_CONNECTOR_RUNTIME: 'docker', FERRY_DOCKER_NETWORK: 'host' } : {};

export const setUpVariant = async (): Promise<VariantSetup> => {
  switch (variant()) {
    case 'nats': {
      const nats = await startNatsServer();
      return { env: { NATS_URL: nats.url }, stop: () => nats.stop() };
    }
    case 'postgres': {
      // The distributed mode's stores: NATS, and both stores in a PostgreSQL schema of this run's own.
      const nats = await startNatsServer();
      const schema = uniqueSchema('ferry_e2e');
      const url = `${testPostgresUrl()}?schema=${schema}`;
      return {
        env: { NATS_URL: nats.url, FERRY_EVENT_STORE_URL: url, FERRY_READ_STORE_URL: url },
        schema,
        async stop() {
          await nats.stop();
          await dropSchema(schema);
        },
      };
    }
    case 'docker':
      return { env: connectorSettings(), stop: async () => {} };
    default:
      return { env: {}, stop: async () => {} };
  }
};
