// Headless Chromium (the system's) through playwright-core; never downloads a browser.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * Starts Chromium with a fresh profile. Fails with a clear message when it is missing.
 * `acceptSelfSigned`: trust any certificate (for a host with a certificate made by the test).
 */
export async function launchBrowser(executablePath, { acceptSelfSigned = false } = {}) {
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium was not found at ${executablePath}. The browser tests need it: ` +
      'install it (apt-get install -y chromium) or set CHROMIUM to its path.');
  }
  const profile = mkdtempSync(join(tmpdir(), 'objectsync-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: acceptSelfSigned ? [...chromiumArgs, '--ignore-certificate-errors'] : chromiumArgs,
    ignoreHTTPSErrors: acceptSelfSigned,
    viewport: { width: 900, height: 600 },
  });
  context.setDefaultTimeout(15000);
  return {
    context,
    async newPage() {
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error('page error:', error.message));
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
