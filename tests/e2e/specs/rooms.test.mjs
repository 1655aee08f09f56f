// Rooms seen from the browser: objectsync-host (dom scene) with the room `b` besides the
// default one. The demo page at / shows the default room, the page at /rooms/b/ shows room b;
// an edit in one room never reaches the other; GET /rooms counts the pages of each room.
// The host serves the pages of this source tree (OBJECTSYNC_WEB_PAGES) before its built-in ones.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';

import { launchBrowser } from '../lib/browser.mjs';
import { elementById, openDemo, textElement, waitForText } from '../lib/demo.mjs';
import { env } from '../lib/env.mjs';
import { startRealHost } from '../lib/host.mjs';
import { connectNodeClient, readyTopic, waitFor } from '../lib/nodeclient.mjs';

const seedText = 'Hello ObjectSync!';

describe('rooms in the demo page against objectsync-host', () => {
  let browser;
  let host;

  before(async () => {
    if (!env.realHost || !env.pluginDir) {
      throw new Error('OBJECTSYNC_HOST and OBJECTSYNC_PLUGIN_DIR must name objectsync-host and its plugin directory');
    }
    browser = await launchBrowser(env.chromium);
    host = await startRealHost(env.realHost, env.pluginDir, { extraArgs: ['--room', 'b'], webRoot: env.webPages });
  });

  after(async () => {
    if (browser) await browser.close();
    if (host) await host.stop();
  });

  /** GET /rooms, as { name: { state, clients, objects } }. */
  async function rooms() {
    const response = await fetch(`${host.url}rooms`, { signal: AbortSignal.timeout(5000) });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type'), /^application\/json/);
    const list = await response.json();
    assert.ok(Array.isArray(list), `GET /rooms: ${JSON.stringify(list)}`);
    return Object.fromEntries(list.map(({ name, ...info }) => [name, info]));
  }

  /** Waits until GET /rooms says `clients` for each room named; the error shows the last answer. */
  async function waitForClients(expected) {
    let last;
    try {
      await waitFor(async () => {
        last = await rooms();
        return Object.entries(expected).every(([name, clients]) => last[name]?.clients === clients);
      }, 'the client counts', 5000);
    } catch (error) {
      throw new Error(`GET /rooms should count ${JSON.stringify(expected)}, it says ${JSON.stringify(last)}`,
        { cause: error });
    }
    return last;
  }

  /** Pages opened by the running test; closed after it, whatever its outcome. */
  let pages = [];
  afterEach(async () => {
    for (const page of pages) await page.close().catch(() => {});
    pages = [];
  });

  async function open(url) {
    const page = await openDemo(browser, url);
    pages.push(page);
    return page;
  }

  async function typeAtEnd(page, id, text) {
    await elementById(page, id).click();
    await page.keyboard.press('End');
    await page.keyboard.type(text);
  }

  async function shownText(page, id) {
    return elementById(page, id).evaluate((el) => el.textContent);
  }

  async function seedTextId(page) {
    const id = await textElement(page, seedText).getAttribute('data-object-id');
    assert.ok(id, 'the page shows the seed text');
    return id;
  }

  it('connects the page to the room of its URL and shows the room only when it is not the default one', async () => {
    const main = await open(host.url);
    assert.equal(await main.evaluate(() => window.objectSyncDemo.url), host.wsUrl);
    assert.equal(await main.locator('#room').isVisible(), false, 'the default room is not named');
    assert.equal(await main.title(), 'ObjectSync demo');

    // /rooms/b is redirected to /rooms/b/, whose page connects to ws://.../rooms/b.
    const inB = await open(`${host.url}rooms/b`);
    assert.equal(inB.url(), `${host.url}rooms/b/`);
    assert.equal(await inB.evaluate(() => window.objectSyncDemo.url), `${host.wsUrl}rooms/b`);
    assert.equal(await inB.locator('#room').isVisible(), true, 'the page names room b');
    assert.equal(await inB.locator('#room').textContent(), 'room b');
    assert.match(await inB.title(), /room b/);

    // An explicit ?ws= wins over the page's path, and the label follows the room connected to.
    const overridden = await open(`${host.url}rooms/b/?ws=${encodeURIComponent(host.wsUrl)}`);
    assert.equal(await overridden.evaluate(() => window.objectSyncDemo.url), host.wsUrl);
    assert.equal(await overridden.locator('#room').isVisible(), false);

    await waitForClients({ default: 2, b: 1 });
    for (const page of [main, inB, overridden]) await page.close();
    await waitForClients({ default: 0, b: 0 });
  });

  it('keeps the edits of each room in that room; GET /rooms counts the pages of each', async () => {
    const main = await open(host.url);
    const b1 = await open(`${host.url}rooms/b/`);
    const b2 = await open(`${host.url}rooms/b/`);
    const mainId = await seedTextId(main);
    const bId = await seedTextId(b1);
    assert.equal(await seedTextId(b2), bId);

    const listed = await waitForClients({ default: 1, b: 2 });
    assert.deepEqual(Object.keys(listed), ['default', 'b'], 'the default room first, then b');
    for (const name of ['default', 'b']) {
      assert.equal(listed[name].state, 'open', `room ${name} is open`);
      assert.ok(listed[name].objects >= 2, `room ${name} has the root and the scene's text`);
    }

    // An edit in room b reaches the other page of room b, not the page at /.
    await typeAtEnd(b1, bId, ' in b');
    await waitForText(b2, bId, `${seedText} in b`);
    assert.equal(await shownText(main, mainId), seedText);

    // An edit at / reaches a page opened at / afterwards, not the pages of room b.
    await typeAtEnd(main, mainId, ' at root');
    const main2 = await open(host.url);
    await waitForText(main2, mainId, `${seedText} at root`);
    const b3 = await open(`${host.url}rooms/b/`);
    await waitForText(b3, bId, `${seedText} in b`);

    assert.equal(await shownText(main, mainId), `${seedText} at root`);
    assert.equal(await shownText(main2, mainId), `${seedText} at root`);
    for (const page of [b1, b2, b3]) assert.equal(await shownText(page, bId), `${seedText} in b`);
    await waitForClients({ default: 2, b: 3 });

    // The web client as it is, in Node, reads each room's text at its own URL.
    for (const [wsUrl, id, expected] of [[host.wsUrl, mainId, `${seedText} at root`],
      [`${host.wsUrl}rooms/b`, bId, `${seedText} in b`]]) {
      const { client, lib } = await connectNodeClient(env.webclientEsm, wsUrl);
      try {
        const text = await readyTopic(client, `a/${id}/text`, lib.StringTopic);
        assert.equal(text.getValue(), expected, `the text at ${wsUrl}`);
      } finally {
        client.close();
      }
    }

    await b1.close();
    await b2.close();
    await waitForClients({ default: 2, b: 1 });
  });
});
