// Refreshes the pictures of the web console in docs/console/: an embedded Ferry with a little data, each page
// in headless Debian Chromium (the same set-up as tests/console.spec.ts). Run it after changing a page:
//   bash scripts/ferry exec node scripts/console-screenshots.ts
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureConsoleBuilt } from '../services/console/build.ts';
import type { Page } from 'playwright-core';
import { chromiumIsInstalled, launchChromium } from '../tests/support/browser.ts';
import {
  createConnection,
  createFakerSource,
  createLocalDestination,
  DEFAULT_WORKSPACE_ID,
  definitionIdByName,
  repoRoot,
  startTestFerry,
  type TestFerry,
} from '../tests/support/ferry.ts';

const OUT = join(repoRoot, 'docs', 'console');
const VIEWPORT = { width: 1200, height: 760 };

if (!chromiumIsInstalled()) {
  console.error('console-screenshots: no Chromium at /usr/bin/chromium (apt-get install chromium)');
  process.exit(1);
}

const shoot = async (page: Page, name: string) => {
  // Not 'networkidle': the event stream stays open. Loads and the live reloads settle within this.
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(OUT, `${name}.png`) });
  console.log(`docs/console/${name}.png`);
};

/** Sources, a destination and a connection with a finished sync and a changed schedule: pages with content. */
const seed = async (ferry: TestFerry) => {
  const faker = await createFakerSource(ferry, 'Fake users', { count: 200_000, seed: 7 });
  await ferry.post('/v1/sources/create', {
    workspaceId: DEFAULT_WORKSPACE_ID,
    sourceDefinitionId: await definitionIdByName(ferry, 'source', 'Postgres'),
    connectionConfiguration: {
      host: 'db.internal',
      port: 5432,
      database: 'shop',
      username: 'reader',
      password: 's3cret',
      schemas: ['public'],
    },
    name: 'Shop database',
  });
  const files = await createLocalDestination(ferry, 'JSON', 'Files');
  const connection = await createConnection(ferry, faker, files, { name: 'Fake users → Files' });
  const answer = await ferry.post(
    '/v1/connections/sync',
    { connectionId: connection },
    { prefer: 'wait=60' },
  );
  if (answer.json?.job?.status !== 'succeeded')
    throw new Error(`the first sync did not succeed: ${answer.text}`);
  const current = await ferry.post('/v1/connections/get', { connectionId: connection });
  await ferry.post('/v1/connections/update', {
    connectionId: connection,
    syncSchema: current.json.syncSchema,
    status: 'active',
    schedule: { units: 6, timeUnit: 'hours' },
  });
  return { faker, connection };
};

const main = async () => {
  mkdirSync(OUT, { recursive: true });
  await ensureConsoleBuilt();
  const ferry = await startTestFerry({ FERRY_SYNC_HEARTBEAT_MS: '300' });
  const secured = await startTestFerry({ FERRY_AUTH_USER: 'ada', FERRY_AUTH_PASSWORD: 'lovelace' });
  const browser = await launchChromium();
  try {
    const { faker, connection } = await seed(ferry);
    const page = await browser.newPage({ viewport: VIEWPORT });
    const go = async (path: string, name: string) => {
      await page.goto(`${ferry.origin}${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await shoot(page, name);
    };
    await go('/', 'connections');
    await go('/sources', 'sources');
    await go('/destinations', 'destinations');
    await page.goto(`${ferry.origin}/sources/new`);
    await page.getByLabel('Connector').selectOption({ label: 'Faker' });
    await page.getByLabel('Count').waitFor();
    await shoot(page, 'source-new');
    await page.goto(`${ferry.origin}/sources`);
    await page.getByRole('link', { name: 'Shop database', exact: true }).click();
    await page.getByLabel('Password').waitFor();
    await shoot(page, 'source-edit');
    await go(`/history/${connection}`, 'history');
    await go('/audit', 'audit');
    await page.goto(`${ferry.origin}/as-of`);
    await page.getByRole('button', { name: 'Show the workspace then' }).click();
    await page.getByRole('heading', { name: /^Connections \(/ }).waitFor();
    await shoot(page, 'as-of');
    // Last, the connection with a sync running: the live chart and the log following it.
    await page.goto(`${ferry.origin}/connections/${connection}`);
    await page.getByRole('button', { name: 'Sync now' }).click();
    const job = page.getByRole('region', { name: /^Job \d+/ });
    await job.getByRole('img', { name: /^Records: now [1-9]/ }).waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1_500);
    await page.screenshot({ path: join(OUT, 'connection.png'), fullPage: true });
    console.log('docs/console/connection.png');
    void faker;
    await page.goto(`${secured.origin}/`);
    await page.getByRole('heading', { name: 'Sign in to Ferry' }).waitFor();
    await shoot(page, 'sign-in');
  } finally {
    await browser.close();
    await ferry.stop();
    await secured.stop();
  }
};

await main();
