// The demo page against objectsync-host itself with the dom plugin's scene. When the host
// serves the page on its WebSocket port, the page is loaded from there; otherwise from a
// local file server, pointed at the host with ?ws=.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { launchBrowser } from '../lib/browser.mjs';
import { computedStyleOf, elementById, openDemo, pageWait, seedLook, textElement } from '../lib/demo.mjs';
import { env } from '../lib/env.mjs';
import { startRealHost } from '../lib/host.mjs';
import { connectNodeClient, readyTopic, waitFor } from '../lib/nodeclient.mjs';
import { serveStatic } from '../lib/staticserver.mjs';

async function servesPage(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return response.status === 200 && /^text\/html/.test(response.headers.get('content-type') ?? '');
  } catch {
    return false;
  }
}

describe('demo page against objectsync-host', () => {
  let browser;
  let host;
  let files;
  let pageUrl;

  before(async () => {
    if (!env.realHost || !env.pluginDir) {
      throw new Error('OBJECTSYNC_HOST and OBJECTSYNC_PLUGIN_DIR must name objectsync-host and its plugin directory');
    }
    browser = await launchBrowser(env.chromium);
    host = await startRealHost(env.realHost, env.pluginDir);
    if (await servesPage(host.url)) {
      pageUrl = host.url;
    } else {
      files = await serveStatic([env.webPages, env.webclientDir]);
      pageUrl = `${files.url}?ws=${encodeURIComponent(host.wsUrl)}`;
      console.log('objectsync-host does not serve web pages: the page comes from a local file server');
    }
  });

  after(async () => {
    if (browser) await browser.close();
    if (files) await files.close();
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
