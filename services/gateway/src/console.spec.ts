import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInProcessBus } from '@ferry/bus';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildGateway, type GatewayOptions } from './app.ts';

/** The console's files as the gateway serves them, from a stand-in build: what a browser gets, and when. */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-console-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="app"></div>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dir, '.build-hash'), 'secret-ish');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});
const gateway = async (extra: Partial<GatewayOptions> = {}) => {
  const app = await buildGateway({ bus: createInProcessBus(), version: 'test', consoleDir: dir, ...extra });
  apps.push(app);
  return app;
};
const html = { accept: 'text/html,application/xhtml+xml' };

describe('the console at /', () => {
  it('serves index.html at / and at every page address, revalidated each time', async () => {
    const app = await gateway();
    for (const url of ['/', '/connections/0f8fad5b-d9cb-469f-a165-70867728950e', '/audit?x=1']) {
      const page = await app.inject({ url, headers: html });
      expect(page.statusCode, url).toBe(200);
      expect(page.body).toContain('<div id="app">');
      expect(page.headers['cache-control']).toBe('no-cache');
    }
  });

  it('lets browsers keep hashed assets for a year and hides dotfiles', async () => {
    const app = await gateway();
    const asset = await app.inject({ url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await app.inject({ url: '/.build-hash', headers: html })).body).not.toContain('secret-ish');
  });

  it('leaves the API its own 404s, as JSON', async () => {
    const app = await gateway();
    for (const url of ['/api/v1/nothing', '/v1/nothing']) {
      const answer = await app.inject({ url, headers: html });
      expect(answer.statusCode, url).toBe(404);
      expect(answer.json()).toMatchObject({ message: `Route GET:${url} not found` });
    }
  });

  it('says how to build the console when there is no build', async () => {
    const app = await gateway({ consoleDir: join(dir, 'missing') });
    const page = await app.inject({ url: '/', headers: html });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('node services/console/build.ts');
  });
});

describe('the console with authentication on', () => {
  const auth = { user: 'ada', password: 'lovelace' };

  it('serves its files without credentials, but not the API', async () => {
    const app = await gateway({ auth });
    expect((await app.inject({ url: '/sources', headers: html })).statusCode).toBe(200);
    const api = await app.inject({ url: '/api/v1/openapi.json' });
    expect(api.statusCode).toBe(401);
    expect(api.headers['www-authenticate']).toContain('Basic');
  });

  it('does not challenge a script, so the browser opens no password dialog over the sign-in page', async () => {
    const app = await gateway({ auth });
    const answer = await app.inject({
      url: '/api/v1/openapi.json',
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    expect(answer.statusCode).toBe(401);
    expect(answer.headers['www-authenticate']).toBeUndefined();
  });
});
