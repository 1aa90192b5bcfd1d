import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it). No browser is ever downloaded. */
export const CHROMIUM = process.env.FERRY_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumIsInstalled = (): boolean => existsSync(CHROMIUM);

/**
 * Flags for a machine with no network but loopback: without the background-networking ones Chromium keeps
 * trying Google's hosts. Playwright adds --headless and gives every launch a fresh, empty user data
 * directory of its own (it refuses --user-data-dir in `args`), removed when the browser closes.
 */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS, timeout: 60_000 });
