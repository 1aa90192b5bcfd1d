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

/** First start: the default workspace and the built-in connector catalog. Later starts change nothing. */
export const seed = async (
  deps: ConfigDeps,
  ctx: RequestContext,
  customerId: string,
  catalog: readonly BuiltInDefinition[],
) => {
  await seedDefaultWorkspace(deps, ctx, customerId);
  for (const definition of catalog) {
    const definitionId = builtInDefinitionId(definition.dockerRepository);
    const command = { type: 'CreateDefinition' as const, data: { definitionId, ...definition } };
    await write(deps, definitionStream(definitionId), definitionDecider, command, ctx);
  }
};
