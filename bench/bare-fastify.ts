// The baseline of bench/api-ratios.ts: a bare fastify process, the same fastify the gateway runs (resolved
// from services/gateway), answering each POST route with fixed bytes, which the bench took from Ferry's
// own answers. It parses the JSON body as fastify does and does nothing else.
//   node bench/bare-fastify.ts <answers.json>    ({"<path>": "<body>"}); prints "at <url>" once listening
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(join(import.meta.dirname, '../services/gateway/package.json'));
// The little of fastify's API used here (bench/ does not depend on fastify, so its types are not in reach).
interface Reply {
  type(contentType: string): Reply;
  send(body: string): Reply;
}
interface App {
  post(path: string, handler: (request: unknown, reply: Reply) => Promise<unknown>): void;
  get(path: string, handler: () => Promise<unknown>): void;
  listen(options: { host: string; port: number }): Promise<string>;
  close(): Promise<void>;
}
const fastify = require('fastify') as (options: { logger: boolean }) => App;

const answers = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Record<string, string>;
const app = fastify({ logger: false });
for (const [path, body] of Object.entries(answers)) {
  app.post(path, async (_request, reply) => reply.type('application/json; charset=utf-8').send(body));
}
app.get('/api/v1/health', async () => ({ available: true }));
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening at ${url}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
