import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { consoleAssetsDir, consoleIsBuilt } from '@ferry/console';

/** Paths the API answers; everything else under `/` is the console's. */
export const isApiPath = (url: string): boolean => /^\/(api|v1)(\/|$|\?)/.test(url);

/** Whether a request is for the console's files: a GET or HEAD outside the API. They hold no data. */
export const isConsoleRequest = (request: FastifyRequest): boolean =>
  (request.method === 'GET' || request.method === 'HEAD') && !isApiPath(request.url);

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Ferry</title></head><body>
<h1>Ferry</h1><p>The console has not been built in this checkout. <code>npm start</code> builds it by itself; so does
<code>node services/console/build.ts</code>. The API is at <a href="/api/docs">/api/docs</a>.</p></body></html>`;

const notFound = (request: FastifyRequest, reply: FastifyReply) =>
  reply.code(404).send({
    message: `Route ${request.method}:${request.url} not found`,
    error: 'Not Found',
    statusCode: 404,
  });

/**
 * The web console (services/console) at `/`: its build served as static files, and index.html for any other
 * page address outside the API, so a link to `/connections/<id>` or a reload lands on the right page. Asset
 * names carry a content hash and are cached for a year; index.html is revalidated every time.
 */
export const registerConsole = async (app: FastifyInstance, dir: string = consoleAssetsDir) => {
  const built = consoleIsBuilt(dir);
  if (built)
    await app.register(fastifyStatic, {
      root: dir,
      prefix: '/',
      dotfiles: 'ignore',
      cacheControl: false,
      setHeaders: (reply, path) => {
        reply.header(
          'Cache-Control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  app.setNotFoundHandler((request, reply) => {
    if (!isConsoleRequest(request) || !request.headers.accept?.includes('text/html'))
      return notFound(request, reply);
    if (!built) return reply.code(200).type('text/html').send(NOT_BUILT);
    return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
  });
};
