export { clientConfig, createClient, createPool, endPool, ping } from './connections.ts';
export { reasonOf, serverOf, unreachable } from './server.ts';
