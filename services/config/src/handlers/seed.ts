import { createHash } from 'node:crypto';
import { definitionDecider, definitionStream, type DefinitionKind } from '../definition/definition.ts';
import type { RequestContext } from './context.ts';
import { write, type ConfigDeps } from './deps.ts';
import { seedDefaultWorkspace } from './workspaces.ts';

export interface BuiltInDefinition {
  kind: DefinitionKind;
  name: string;
  dockerRepository: string;
  dockerImageTag: string;
  documentationUrl: string;
}

/** A built-in definition's id is derived from its repository, so it is the same on every install. */
export const builtInDefinitionId = (dockerRepository: string): string => {
  const hex = createHash('sha256').update(`ferry-definition:${dockerRepository}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/**
 * First start: the default workspace and the built-in connector catalog. Later starts change nothing. The
 * definitions are written concurrently (each is a stream of its own), so the event store commits them in one
 * batch, one fsync, rather than one after another on the way to a serving start.
 */
export const seed = async (
  deps: ConfigDeps,
  ctx: RequestContext,
  customerId: string,
  catalog: readonly BuiltInDefinition[],
) => {
  const definitions = catalog.map((definition) => {
    const definitionId = builtInDefinitionId(definition.dockerRepository);
    const command = { type: 'CreateDefinition' as const, data: { definitionId, ...definition } };
    return write(deps, definitionStream(definitionId), definitionDecider, command, ctx);
  });
  await Promise.all([seedDefaultWorkspace(deps, ctx, customerId), ...definitions]);
};
