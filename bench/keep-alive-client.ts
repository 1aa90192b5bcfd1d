// A light HTTP/1.1 client for benches that measure a server: `node:http` over a keep-alive Agent, as a load
// generator such as autocannon is, where `fetch` (undici's WHATWG layer: Request and Response objects,
// header guards, a web stream per body) costs the bench about as much CPU per call as the server spends
// answering it, on the same cores (docs/benchmarks.md, "Durable writes, the whole machine's CPU"). It sends
// the very request `fetch` sends (the same header lines, in the same order), so the server does the same
// work for either; every answer is read whole and its status checked by the caller.
import { Agent, request } from 'node:http';

/** `fetch`'s own header lines for a JSON POST (Node 24), besides host, connection and content-length. */
const FETCH_HEADERS = {
  'content-type': 'application/json',
  accept: '*/*',
  'accept-language': '*',
  'sec-fetch-mode': 'cors',
  'user-agent': 'node',
  'accept-encoding': 'gzip, deflate',
};

/** At most `sockets` connections to `api` (an origin), kept open between calls; `close` ends them. */
export const keepAliveClient = (api: string, sockets: number) => {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const { hostname, port } = new URL(api);
  const host = `${hostname}:${port}`;
  /** The answer's status and its text, read to the last byte. */
  const post = (path: string, body: unknown) =>
    new Promise<{ status: number; text: string }>((done, fail) => {
      const payload = Buffer.from(JSON.stringify(body));
      const call = request(
        {
          agent,
          hostname,
          port,
          path,
          method: 'POST',
          headers: {
            host,
            connection: 'keep-alive',
            ...FETCH_HEADERS,
            'content-length': payload.byteLength,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            done({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
          );
          response.on('error', fail);
        },
      );
      call.on('error', fail);
      call.end(payload);
    });
  return { post, close: () => agent.destroy() };
};
