import type { OperationClient, RequestContext } from '@ferry/rpc';
import type { SecretSealer } from '@ferry/secrets';
import type { AttemptLog } from '../attempt-log.ts';

const SEALED = '_ferry_sealed';
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A spec that marks as secret every property sealed in `sealed`: the runner has no connector spec, but
 * the stored configuration shows which values its spec seals, and so which of a new one to seal.
 */
export const specOfSealed = (sealed: Json): Json => ({
  type: 'object',
  properties: Object.fromEntries(
    Object.entries(sealed).flatMap(([key, value]) => {
      if (!isObject(value)) return [];
      if (SEALED in value) return [[key, { airbyte_secret: true }]];
      return [[key, specOfSealed(value)]];
    }),
  ),
});

export interface ConnectorConfigUpdate {
  kind: 'source' | 'destination';
  actorId: string | undefined;
  /** The configuration the connector sent (plain), and the stored one it replaces (sealed). */
  config: Json;
  previous: Json;
}

/**
 * Stores the configurations connectors sent with CONTROL messages during the attempt: the last per side,
 * sealed where the stored one was, as the actor's new version (the config service checks and reseals it).
 * A failure is logged: the attempt's outcome does not depend on it.
 */
export async function storeConnectorConfigs(
  updates: readonly ConnectorConfigUpdate[],
  deps: { sealer: SecretSealer; call: OperationClient },
  ctx: RequestContext,
  log: AttemptLog,
): Promise<void> {
  const last = new Map(updates.map((u) => [u.kind, u]));
  for (const u of last.values()) {
    if (!u.actorId) {
      log.write(
        'ferry',
        `the ${u.kind} sent a new configuration, but the attempt names no ${u.kind} to store it on`,
      );
      continue;
    }
    try {
      const configuration = deps.sealer.seal(u.config, specOfSealed(u.previous));
      const { updated } = await deps.call(
        'updateActorConfiguration',
        { kind: u.kind, actorId: u.actorId, configuration },
        ctx,
      );
      log.write(
        'ferry',
        `the ${u.kind} sent a new configuration: ${updated ? 'stored' : 'not stored (deleted)'}`,
      );
    } catch (error) {
      log.write(
        'ferry',
        `the ${u.kind} sent a new configuration that could not be stored: ${(error as Error).message}`,
      );
    }
  }
}
