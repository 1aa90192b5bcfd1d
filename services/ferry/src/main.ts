import { enableCompileCache } from 'node:module';

/**
 * `npm start`'s entry point. Loading some 1,900 modules (Nest, fastify, the type-stripped sources) is most of
 * a cold start, so V8's code cache and the stripped TypeScript are kept on disk before anything else loads:
 * in NODE_COMPILE_CACHE when set, else Node's default directory under the system's temporary directory
 * (entries are keyed by file content and Node version, so an edited file is compiled afresh). Only modules
 * imported after this call use it, hence the dynamic import.
 */
enableCompileCache();
await import('./start.ts');
