import { z } from 'zod';
import { roleRequired } from './access.ts';
import { operations } from './operations.ts';

const ref = (schema: z.ZodType) => {
  const id = z.globalRegistry.get(schema)?.id;
  if (!id) throw new Error('every request and response model must carry an id');
  return { $ref: `#/components/schemas/${id}` };
};

const json = (schema: z.ZodType) => ({ 'application/json': { schema: ref(schema) } });

const errorBody = {
  type: 'object',
  required: ['message'],
  properties: {
    message: { type: 'string' },
    id: { type: 'string' },
    validationErrors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['propertyPath', 'message'],
        properties: { propertyPath: { type: 'string' }, message: { type: 'string' }, invalidValue: {} },
      },
    },
  },
};

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorRead' } } },
});

const statusText: Record<number, string> = {
  400: 'The connection check failed',
  404: 'Not found',
  409: 'A concurrent write won, or If-Match named a stale revision',
};

const pathItem = (operation: (typeof operations)[number]) => {
  const responses: Record<string, unknown> = operation.response
    ? { '200': { description: 'Successful operation', content: json(operation.response) } }
    : { '204': { description: 'The resource was deleted successfully' } };
  for (const status of operation.errors)
    responses[String(status)] = errorResponse(statusText[status] ?? 'Error');
  responses['422'] = errorResponse('Invalid input');
  // Only when authentication is configured (ADR 0009); which role suffices comes from `access.ts`.
  responses['401'] = errorResponse('Missing, wrong, revoked or malformed credentials');
  responses['403'] = errorResponse(
    `The credential's role may not call this (needs ${roleRequired(operation)})`,
  );
  responses['429'] = errorResponse('Too many failed authentications from this address; see Retry-After');
  responses['503'] = errorResponse('No service answered');
  responses['504'] = errorResponse('The service did not answer in time');
  // A list the seed calls without a body takes an optional one (the pagination extension, ADR 0013).
  const required = operation.request ? !operation.request.safeParse(undefined).success : false;
  const body = operation.request ? { requestBody: { required, content: json(operation.request) } } : {};
  const method = operation.method.toLowerCase();
  return {
    [method]: {
      tags: [operation.tag],
      summary: operation.summary,
      operationId: operation.operationId,
      ...body,
      responses,
    },
  };
};

/** The OpenAPI 3.1 document of the API, derived from the operation table and the zod models. */
export const buildOpenApiDocument = (version: string) => {
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    uri: (id) => `#/components/schemas/${id}`,
    // Requests ignore unknown fields, as Airbyte's server did: the input view says so.
    io: 'input',
  });
  const components = Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _schema, $id: _id, ...rest } = schema as Record<string, unknown>;
      return [id, rest];
    }),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Ferry: Airbyte-compatible Configuration API',
      version,
      description:
        'Airbyte Configuration API (RPC-style: every endpoint is POST with a JSON body). Extensions are tagged in their summary.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/api' }],
    paths: Object.fromEntries(operations.map((o) => [o.path, pathItem(o)])),
    components: {
      schemas: { ...components, ErrorRead: errorBody },
      securitySchemes: {
        basicAuth: { type: 'http', scheme: 'basic' },
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'fry_<tokenId>_<secret>' },
      },
    },
  };
};
