import { ensureConsoleBuilt } from '@ferry/console/build';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumIsInstalled, launchChromium } from './support/browser.ts';
import { createFakerSource, DEFAULT_WORKSPACE_ID, startTestFerry, type TestFerry } from './support/ferry.ts';

/**
 * The console's first-use story in a real browser (headless Debian Chromium driven by playwright-core),
 * against an embedded Ferry. Every element is found by its role and accessible name or by its label, so
 * the test also holds the console to having them.
 */
const available = chromiumIsInstalled();
if (!available)
  console.warn('console.spec: SKIPPED, no Chromium at /usr/bin/chromium (apt-get install chromium)');

/** Enough rows that a sync runs for a few seconds, so its live counts can be watched. */
const FAKER_ROWS = '50000';

describe.skipIf(!available)('the web console in a browser', () => {
  let ferry: TestFerry;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await ensureConsoleBuilt();
    ferry = await startTestFerry({ FERRY_SYNC_HEARTBEAT_MS: '300' });
    browser = await launchChromium();
    page = await browser.newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await ferry?.stop();
  });

  const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });

  it('serves the console at / and every page address, the API staying under /api', async () => {
    const index = await ferry.request('/connections/anything', { headers: { accept: 'text/html' } });
    expect(index.status).toBe(200);
    expect(index.text).toContain('<div id="app">');
    const api = await ferry.request('/api/v1/nothing-here', { method: 'POST', body: '{}' });
    expect(api.status).toBe(404);
    await page.goto(`${ferry.origin}/`);
    await heading('Connections').waitFor();
    expect(await page.title()).toBe('Connections · Ferry');
  });

  it('creates a Faker source and a Local JSON destination from their spec forms', async () => {
    await page.getByRole('link', { name: 'Sources' }).click();
    await page.getByRole('link', { name: 'New source' }).click();
    await page.getByLabel('Connector').selectOption({ label: 'Faker' });
    await page.getByRole('textbox', { name: /^Name/ }).fill('Fake users');
    await page.getByLabel('Count').fill(FAKER_ROWS);
    await page.getByRole('button', { name: 'Create source' }).click();
    await heading('Fake users').waitFor();
    expect(await page.getByLabel('Count').inputValue()).toBe(FAKER_ROWS);

    await page.getByRole('link', { name: 'Destinations' }).click();
    await page.getByRole('link', { name: 'New destination' }).click();
    await page.getByLabel('Connector').selectOption({ label: 'Local JSON' });
    await page.getByRole('textbox', { name: /^Name/ }).fill('Files');
    // A wrong path first: the API's 422 lands beside the field, in words.
    await page.getByLabel(/^Destination Path/).fill('/elsewhere');
    await page.getByRole('button', { name: 'Create destination' }).click();
    await page.getByRole('alert').filter({ hasText: 'The destination was not saved' }).waitFor();
    await page.getByLabel(/^Destination Path/).fill('/local/console');
    await page.getByRole('button', { name: 'Create destination' }).click();
    await heading('Files').waitFor();
  });

  it('shows a change made elsewhere (here through the API) within a second, without a reload', async () => {
    await page.getByRole('link', { name: 'Sources' }).click();
    await page.getByRole('link', { name: 'Fake users', exact: true }).waitFor();
    const started = Date.now();
    await createFakerSource(ferry, 'Made through the API');
    await page.getByRole('link', { name: 'Made through the API', exact: true }).waitFor({ timeout: 5_000 });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('creates a connection, syncs it with live counts and shows its log', async () => {
    await page.getByRole('link', { name: 'Connections' }).click();
    await page.getByRole('link', { name: 'New connection' }).click();
    await page.getByLabel('Source').selectOption({ label: 'Fake users (Faker)' });
    await page.getByLabel('Destination').selectOption({ label: 'Files (Local JSON)' });
    await page.getByRole('textbox', { name: /^Name/ }).fill('Faker to files');
    await page.getByRole('button', { name: 'Create connection' }).click();
    await heading('Faker to files').waitFor();

    await page.getByRole('button', { name: 'Sync now' }).click();
    const job = page.getByRole('region', { name: /^Job \d+/ });
    await job.getByText('running', { exact: true }).first().waitFor({ timeout: 20_000 });
    // Live: the record count moves while the job is still running.
    const records = job.locator('dl.counts dd').first();
    await expect
      .poll(async () => Number((await records.textContent())?.replaceAll(',', '')), { timeout: 20_000 })
      .toBeGreaterThan(0);
    expect(await job.getByText('running', { exact: true }).count()).toBeGreaterThan(0);
    await job.getByRole('heading', { name: /succeeded/ }).waitFor({ timeout: 60_000 });
    expect(Number((await records.textContent())?.replaceAll(',', ''))).toBe(3 * Number(FAKER_ROWS));

    await job.getByRole('button', { name: 'Show log of attempt 1' }).click();
    const log = job.getByRole('log', { name: 'Log of attempt 1' });
    await expect.poll(async () => (await log.textContent()) ?? '').toMatch(/\S+\n\S+/);
  });

  it('changes the schedule, sees the change in history and restores the previous version', async () => {
    await page.getByRole('radio', { name: 'Every…' }).check();
    await page.getByLabel('Every how many').fill('6');
    await page.getByLabel('Time unit').selectOption('hours');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.getByText('every 6 hours').waitFor();

    await page.getByRole('link', { name: 'History' }).click();
    await heading('History of Faker to files').waitFor();
    const versions = page.getByRole('table', { name: 'Versions' });
    const updated = versions.getByRole('row').filter({ hasText: 'updated' }).first();
    await expect.poll(() => updated.textContent()).toMatch(/schedule/);
    await page
      .getByRole('region', { name: /Changes from version \d+ to \d+/ })
      .getByText(/schedule/)
      .first()
      .waitFor();

    const restorable = await versions.getByRole('button', { name: /^Restore version \d+$/ }).count();
    expect(restorable).toBeGreaterThan(0);
    const previous = restorable; // the newest restorable version is the one before the change
    await page.getByRole('button', { name: `Restore version ${previous}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`Make version ${previous} of Faker to files current again?`).waitFor();
    await dialog.getByRole('button', { name: `Restore version ${previous}` }).click();
    await versions.getByRole('row').filter({ hasText: 'restored' }).first().waitFor();

    await page.getByRole('link', { name: 'Connections' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Faker to files' });
    await row.getByText('manual').waitFor();
  });
});

describe.skipIf(!available)('the web console with authentication on', () => {
  const basic = { authorization: `Basic ${Buffer.from('ada:lovelace').toString('base64')}` };
  let ferry: TestFerry;
  let browser: Browser;
  let page: Page;
  let readToken: string;

  beforeAll(async () => {
    await ensureConsoleBuilt();
    ferry = await startTestFerry({ FERRY_AUTH_USER: 'ada', FERRY_AUTH_PASSWORD: 'lovelace' });
    const token = await ferry.post('/v1/api_tokens/create', { name: 'console viewer', role: 'read' }, basic);
    readToken = token.json.token;
    const sources = await ferry.post('/v1/source_definitions/list', undefined, basic);
    const faker = sources.json.sourceDefinitions.find((d: { name: string }) => d.name === 'Faker');
    const created = await ferry.post(
      '/v1/sources/create',
      {
        workspaceId: DEFAULT_WORKSPACE_ID,
        sourceDefinitionId: faker.sourceDefinitionId,
        connectionConfiguration: { count: 5 },
        name: 'Watched source',
      },
      basic,
    );
    expect(created.status).toBe(200);
    browser = await launchChromium();
    page = await browser.newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await ferry?.stop();
  });

  it('asks to sign in, and says so in words when the password is wrong', async () => {
    await page.goto(`${ferry.origin}/sources`);
    await page.getByRole('heading', { name: 'Sign in to Ferry' }).waitFor();
    await page.getByLabel('User', { exact: true }).fill('ada');
    await page.getByLabel('Password', { exact: true }).fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Ferry did not accept your sign-in' }).waitFor();
  });

  it('lets a read token see everything, and its change buttons say they need the admin role', async () => {
    await page.getByRole('radio', { name: 'An API token' }).check();
    await page.getByLabel('API token', { exact: true }).fill(readToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in as an API token (read) (read only)').waitFor();
    await page.getByRole('link', { name: 'Sources' }).click();
    await page.getByRole('link', { name: 'Watched source', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Watched source' }).waitFor();
    const remove = page.getByRole('button', { name: 'Delete source' });
    expect(await remove.isDisabled()).toBe(true);
    expect(await page.getByText('needs the admin role').count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Save changes' }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Ferry' }).waitFor();
  });
});
