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
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';

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

// The web client's API in Node (no browser) against objectsync-host with the taskboard scene:
// a board (host-only) with three columns and four cards.
describe('web client API against objectsync-host (taskboard scene)', () => {
  let host;
  let lib;

  before(async () => {
    requireRealHost();
    lib = await import(pathToFileURL(env.webclientEsm).href);
    host = await startRealHost(env.realHost, env.pluginDir, { scene: 'taskboard' });
  });

  after(async () => {
    if (host) await host.stop();
  });

  /** A client with classes for the taskboard's types, its warnings kept in `warnings`. */
  function newClient(types, options = {}) {
    const warnings = [];
    const client = new lib.ObjectSyncClient(host.wsUrl, types, {
      socketFactory: (url) => new WebSocket(url),
      reconnect: { enabled: false },
      logger: { debug() {}, warn: (...a) => warnings.push(a.join(' ')), error: (...a) => console.error('node client:', ...a) },
      ...options,
    });
    return { client, warnings };
  }

  function idsOfType(client, frontendType) {
    return Object.entries(client.objectsTopic.getValue()).filter(([, type]) => type === frontendType).map(([id]) => id);
  }

  it('ready() waits for the tree and the cards\' titles; failed requests reject with the host\'s reason', async () => {
    const Card = class extends lib.SObject {
      constructor(client, id) {
        super(client, id);
        this.title = this.getAttribute('title', lib.StringTopic);
      }
    };
    const { client } = newClient({ card: Card });
    try {
      await client.ready();
      const cards = idsOfType(client, 'card');
      assert.equal(cards.length, 4);
      const titles = cards.map((id) => client.getObject(id)).filter((c) => c.isStarted).map((c) => c.title.getValue());
      assert.ok(titles.includes('Write the plugin guide'), `titles: ${titles}`);
      assert.equal(titles.length, 4);

      await assert.rejects(client.makeRequest('nosuch'),
        (e) => e instanceof lib.RequestError && e.message === 'unknown service "nosuch"' && e.kind === 'refused');
      await assert.rejects(client.makeRequest('taskboard/create_board', {}),
        (e) => e instanceof lib.RequestError && /"title" is required/.test(e.message));
      await assert.rejects(client.undo(), (e) => e instanceof lib.RequestError && e.message === 'nothing to undo');
    } finally {
      client.close();
    }
  });

  it('createObject sends build arguments: a card gets its title; without one it is refused; undo takes it back', async () => {
    const { client } = newClient({});
    const rejects = [];
    client.onReject.add((reason) => rejects.push(reason));
    try {
      await client.ready();
      const column = idsOfType(client, 'column')[0];
      const id = client.createObject('TaskCard', column, { title: 'From the web client' });
      const title = client.getTopic(`a/${id}/title`, lib.StringTopic);
      assert.equal(await title.ready(), 'From the web client');
      await waitFor(() => client.getObject(id)?.isStarted, 'the new card to start');

      client.createObject('TaskCard', column);
      await waitFor(() => rejects.length > 0, 'the card without a title to be refused');
      assert.deepEqual(rejects, ['a card needs a title']);

      assert.equal(await client.undo(), null);
      await waitFor(() => client.getObject(id) === undefined, 'the undo to remove the card');
    } finally {
      client.close();
    }
  });

  it('an object asking for an attribute the host lacks is reported with its id and the topic', async () => {
    const Column = class extends lib.SObject {
      constructor(client, id) {
        super(client, id);
        this.title = this.getAttribute('titel', lib.StringTopic); // misspelt
      }
    };
    const { client, warnings } = newClient({ column: Column }, { missingTopicWarningMs: 100 });
    try {
      await client.ready();
      const column = idsOfType(client, 'column')[0];
      assert.equal(client.getObject(column).isStarted, false);
      await waitFor(() => warnings.some((w) => w.includes(`"${column}"`) && w.includes(`"a/${column}/titel"`)),
        'the warning about the missing attribute');
    } finally {
      client.close();
    }
  });
});
