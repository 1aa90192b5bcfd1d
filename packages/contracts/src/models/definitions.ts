import { z } from 'zod';
import { capitalized, jsonObject, keyed, optional, uuid } from './common.ts';
import { pageResponseFields } from './paging.ts';

/**
 * Source and destination definitions have the same shape under other names; one factory builds both so
 * the two can never drift apart.
 */
const definitionModels = <I extends string, L extends string>(
  kind: 'source' | 'destination',
  idKey: I,
  listKey: L,
) => {
  const K = capitalized(kind);
  const Id = uuid(`${K}DefinitionId`);
  const image = {
    name: z.string().min(1),
    dockerRepository: z.string().min(1),
    dockerImageTag: z.string().min(1),
  };
  const IdRequestBody = z.object(keyed(idKey, Id)).meta({ id: `${K}DefinitionIdRequestBody` });
  const Create = z.object({ ...image, documentationUrl: z.url() }).meta({ id: `${K}DefinitionCreate` });
  // The seed's DestinationDefinitionUpdate requires a misspelt `dockerImageag`; both kinds require
  // `dockerImageTag`, the only field an update may change (docs/decisions/0004-contract-deviations.md).
  const Update = z
    .object({ ...keyed(idKey, Id), dockerImageTag: z.string().min(1) })
    .meta({ id: `${K}DefinitionUpdate` });
  const Read = z
    .object({ ...keyed(idKey, Id), ...image, documentationUrl: optional(z.string()) })
    .meta({ id: `${K}DefinitionRead` });
  const ReadList = z
    .object({ ...keyed(listKey, z.array(Read)), ...pageResponseFields })
    .meta({ id: `${K}DefinitionReadList` });
  const Specification = jsonObject(
    `${K}DefinitionSpecification`,
    `The specification for what values are required to configure the ${kind}Definition.`,
  );
  const SpecificationRead = z
    .object({
      ...keyed(idKey, Id),
      documentationUrl: optional(z.string()),
      connectionSpecification: Specification,
    })
    .meta({ id: `${K}DefinitionSpecificationRead` });
  return { Id, IdRequestBody, Create, Update, Read, ReadList, Specification, SpecificationRead };
};

export const sourceDefinition = definitionModels('source', 'sourceDefinitionId', 'sourceDefinitions');
export const destinationDefinition = definitionModels(
  'destination',
  'destinationDefinitionId',
  'destinationDefinitions',
);
