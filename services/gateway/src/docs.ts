import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildAsyncApiDocument, buildOpenApiDocument } from '@ferry/contracts';

const swaggerDir = () => join(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'), '..');

const page = `<!doctype html><html><head><meta charset="utf-8"><title>Ferry API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#ui' });</script></body></html>`;

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css',
  'swagger-ui-bundle.js': 'application/javascript',
};

/** Built on the first request and kept: deriving both documents from the contract would lengthen every start. */
const builtOnce = <T>(build: () => T) => {
  let built: T | undefined;
  return () => {
    built ??= build();
    return built;
  };
};

/**
 * The OpenAPI document (derived from the contract), an interactive page served from local assets, and the
 * AsyncAPI document of the events (derived from the event contracts).
 */
export const registerDocs = (app: FastifyInstance, version: string) => {
  const document = builtOnce(() => buildOpenApiDocument(version));
  for (const url of ['/api/v1/openapi.json', '/v1/openapi.json']) app.get(url, async () => document());
  const events = builtOnce(() => buildAsyncApiDocument(version));
  for (const url of ['/api/v1/asyncapi.json', '/v1/asyncapi.json']) app.get(url, async () => events());
  app.get('/api/docs', async (_request, reply) => reply.type('text/html').send(page));
  app.get<{ Params: { asset: string } }>('/api/docs/:asset', async (request, reply) => {
    const type = ASSETS[request.params.asset];
    if (!type) return reply.code(404).send({ message: 'Not found' });
    return reply.type(type).send(await readFile(join(swaggerDir(), request.params.asset)));
  });
};
