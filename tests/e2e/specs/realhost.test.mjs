// The demo page against objectsync-host itself with the dom plugin's scene, served by the
// host on its WebSocket port: over http:// and ws://, and over https:// and wss:// with a
// certificate made for the test.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';

import { launchBrowser } from '../lib/browser.mjs';
import { computedStyleOf, elementById, openDemo, pageWait, seedLook, textElement } from '../lib/demo.mjs';
import { env } from '../lib/env.mjs';
import { makeCertificate, startRealHost } from '../lib/host.mjs';
import { connectNodeClient, readyTopic, waitFor } from '../lib/nodeclient.mjs';

function requireRealHost() {
  if (!env.realHost || !env.pluginDir) {
    throw new Error('OBJECTSYNC_HOST and OBJECTSYNC_PLUGIN_DIR must name objectsync-host and its plugin directory');
  }
}

describe('demo page against objectsync-host', () => {
  let browser;
  let host;
  let pageUrl;

  before(async () => {
    requireRealHost();
    browser = await launchBrowser(env.chromium);
    host = await startRealHost(env.realHost, env.pluginDir);
    pageUrl = host.url;
    const response = await fetch(pageUrl, { signal: AbortSignal.timeout(5000) });
    assert.equal(response.status, 200, 'the host serves the demo page on its port');
  });

  after(async () => {
    if (browser) await browser.close();
    if (host) await host.stop();
  });

  it('renders the dom scene with its exact style, and follows changes both ways', async () => {
    const page = await openDemo(browser, pageUrl);
    const element = textElement(page, 'Hello ObjectSync!');
    assert.deepEqual(await computedStyleOf(element), seedLook);
    const id = await element.getAttribute('data-object-id');

    const { client, lib } = await connectNodeClient(env.webclientEsm, host.wsUrl);
    try {
      // Another client changes the style: the page follows.
      const style = await readyTopic(client, `a/${id}/style`, lib.DictTopic);
      style.changeValue('background-color', 'rgb(0, 0, 255)');
      await pageWait(page, (sel) => getComputedStyle(document.querySelector(sel)).backgroundColor === 'rgb(0, 0, 255)',
        `[data-object-id="${id}"]`);

      // Typing in the page reaches the host and the other client.
      const text = await readyTopic(client, `a/${id}/text`, lib.StringTopic);
      await elementById(page, id).click();
      await page.keyboard.press('End');
      await page.keyboard.type(' :)');
      await waitFor(() => text.getValue() === 'Hello ObjectSync! :)', 'the edit to reach the other client');
    } finally {
      client.close();
    }
  });
});

describe('demo page over https:// and wss://', () => {
  let browser;
  let host;
  let tls;

  before(async () => {
    requireRealHost();
    tls = makeCertificate();
    browser = await launchBrowser(env.chromium, { acceptSelfSigned: true });
    host = await startRealHost(env.realHost, env.pluginDir, { tls });
  });

  after(async () => {
    if (browser) await browser.close();
    if (host) await host.stop();
    if (tls) rmSync(tls.dir, { recursive: true, force: true });
  });

  it('loads the page from the host over TLS and renders the scene it receives over wss://', async () => {
    assert.match(host.url, /^https:/);
    const page = await openDemo(browser, host.url);
    assert.equal(new URL(page.url()).protocol, 'https:');
    const element = textElement(page, 'Hello ObjectSync!');
    assert.deepEqual(await computedStyleOf(element), seedLook);

    // The page's own edit goes to the host over wss:// and comes back after a reload.
    const id = await element.getAttribute('data-object-id');
    await elementById(page, id).click();
    await page.keyboard.press('End');
    await page.keyboard.type(' over TLS');
    const again = await openDemo(browser, host.url);
    await pageWait(again, (sel) => document.querySelector(sel)?.textContent.includes('over TLS'),
      `[data-object-id="${id}"]`);
  });
});
