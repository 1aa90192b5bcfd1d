import { z } from 'zod';
import { capitalized, jsonObject, keyed, optional, uuid, type Kind } from './common.ts';
import { pageResponseFields } from './paging.ts';
import { WorkspaceId } from './workspace.ts';
import { destinationDefinition, sourceDefinition } from './definitions.ts';

/**
 * Sources and destinations ("actors") share one shape under other names. The one real difference of the
 * seed: a destination's `name` is optional on create (default `"default"`).
 */
const actorModels = <I extends string, D extends string, N extends string, L extends string>(
  kind: Kind,
  keys: { id: I; definitionId: D; definitionName: N; list: L },
  DefinitionId: z.ZodType<string>,
) => {
  const K = capitalized(kind);
  const Id = uuid(`${K}Id`);
  const Configuration = jsonObject(
    `${K}Configuration`,
    `The values required to configure the ${kind}. They must match the ${kind} definition's specification.`,
  );
  const name = z.string().min(1);
  const IdRequestBody = z.object(keyed(keys.id, Id)).meta({ id: `${K}IdRequestBody` });
  const Create = z
    .object({
      workspaceId: WorkspaceId,
      ...keyed(keys.definitionId, DefinitionId),
      connectionConfiguration: Configuration,
      name: kind === 'source' ? name : optional(name),
    })
    .meta({ id: `${K}Create` });
  const Recreate = z
    .object({
      ...keyed(keys.definitionId, DefinitionId),
      ...keyed(keys.id, Id),
      workspaceId: WorkspaceId,
      connectionConfiguration: Configuration,
      name,
    })
    .meta({ id: `${K}Recreate` });
  const Update = z
    .object({ ...keyed(keys.id, Id), connectionConfiguration: Configuration, name })
    .meta({ id: `${K}Update` });
  const Read = z
    .object({
      ...keyed(keys.definitionId, DefinitionId),
      ...keyed(keys.id, Id),
      workspaceId: WorkspaceId,
      connectionConfiguration: Configuration,
      name: z.string(),
      ...keyed(keys.definitionName, z.string()),
    })
    .meta({ id: `${K}Read` });
  const ReadList = z
    .object({ ...keyed(keys.list, z.array(Read)), ...pageResponseFields })
    .meta({ id: `${K}ReadList` });
  return { Id, Configuration, IdRequestBody, Create, Recreate, Update, Read, ReadList };
};

export const source = actorModels(
  'source',
  { id: 'sourceId', definitionId: 'sourceDefinitionId', definitionName: 'sourceName', list: 'sources' },
  sourceDefinition.Id,
);
export const destination = actorModels(
  'destination',
  {
    id: 'destinationId',
    definitionId: 'destinationDefinitionId',
    definitionName: 'destinationName',
    list: 'destinations',
  },
  destinationDefinition.Id,
);
