// The demo page in headless Chromium against the test host (e2e_host.cpp): Engine, Server
// serving pages and WebSockets on one port.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { launchBrowser } from '../lib/browser.mjs';
import {
  computedStyleOf, elementById, openDemo, pageWait, seedLook, textElement, waitConnected, waitForText,
} from '../lib/demo.mjs';
import { env } from '../lib/env.mjs';
import { startE2eHost } from '../lib/host.mjs';
import { connectNodeClient, readyTopic, waitFor } from '../lib/nodeclient.mjs';

const pageText = (locator) => locator.evaluate((el) => el.textContent);

describe('demo page against the test host', () => {
  let browser;
  let host;
  const pages = [];

  before(async () => {
    browser = await launchBrowser(env.chromium);
    host = await startE2eHost(env.e2eHost);
  });

  after(async () => {
    for (const page of pages) await page.close().catch(() => {});
    if (browser) await browser.close();
    if (host) await host.stop();
  });

  async function open() {
    const page = await openDemo(browser, host.url);
    pages.push(page);
    return page;
  }

  it('serves the page, the demo script and the client bundle on the WebSocket port', async () => {
    for (const [path, type] of [['/', 'text/html'], ['/demo.js', 'text/javascript'],
      ['/objectsync-client.js', 'text/javascript']]) {
      const response = await fetch(new URL(path, host.url));
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get('content-type'), new RegExp(`^${type}`), path);
    }
    assert.equal((await fetch(new URL('/nothing-here.js', host.url))).status, 404);
  });

  it('renders the seed scene with its exact style', async () => {
    const page = await open();
    const text = textElement(page, 'Hello ObjectSync!');
    assert.deepEqual(await computedStyleOf(text), seedLook);
    // Every object is an element inside its parent's element; the root is the scene.
    const nested = await page.evaluate(() => {
      const inner = [...document.querySelectorAll('.os-text')].find((e) => e.textContent === 'Inside a div');
      return {
        parentIsDiv: inner.parentElement.classList.contains('os-div'),
        divInScene: inner.parentElement.parentElement.id,
        divPadding: getComputedStyle(inner.parentElement).paddingTop,
        seedInScene: [...document.querySelectorAll('#scene > .os-text')].map((e) => e.textContent),
      };
    });
    assert.deepEqual(nested, {
      parentIsDiv: true, divInScene: 'scene', divPadding: '4px', seedInScene: ['Hello ObjectSync!'],
    });
  });

  it('shows changes made in the host and by another client', async () => {
    const page = await open();
    const id = await textElement(page, 'Hello ObjectSync!').getAttribute('data-object-id');
    const element = elementById(page, id);
    const { client, lib } = await connectNodeClient(env.webclientEsm, host.url.replace('http', 'ws'));
    try {
      // Host code changes the style and the text (a service runs on the host).
      await client.makeRequest('e2e/set_style', { id, property: 'background-color', value: 'rgb(0, 128, 0)' });
      await pageWait(page, (sel) => getComputedStyle(document.querySelector(sel)).backgroundColor === 'rgb(0, 128, 0)',
        `[data-object-id="${id}"]`);
      await client.makeRequest('e2e/set_text', { id, text: 'Changed by the host' });
      await waitForText(page, id, 'Changed by the host');

      // Another client edits the style dict and the text directly.
      const style = await readyTopic(client, `a/${id}/style`, lib.DictTopic);
      style.changeValue('font-size', '12px');
      style.add('color', 'rgb(255, 0, 0)');
      const text = await readyTopic(client, `a/${id}/text`, lib.StringTopic);
      text.insert(0, '>> ');
      await pageWait(page, (sel) => {
        const el = document.querySelector(sel);
        const s = getComputedStyle(el);
        return s.fontSize === '12px' && s.color === 'rgb(255, 0, 0)' && el.textContent === '>> Changed by the host';
      }, `[data-object-id="${id}"]`);
      // A style property removed in the host is removed from the element.
      style.pop('color');
      await pageWait(page, (sel) => document.querySelector(sel).style.getPropertyValue('color') === '',
        `[data-object-id="${id}"]`);

      // An object created by another client appears inside its parent's element, and goes away.
      const divId = await page.locator('.os-div').first().getAttribute('data-object-id');
      const newId = client.createObject('TextObject', divId);
      const created = elementById(page, newId);
      await created.waitFor();
      assert.equal(await created.evaluate((el) => el.parentElement.dataset.objectId), divId);
      client.destroyObject(newId);
      await created.waitFor({ state: 'detached' });
      assert.equal(await element.count(), 1);

      // A child of a text element follows its text, which stays editable on its own.
      const childId = client.createObject('TextObject', id);
      const child = elementById(page, childId);
      await child.waitFor();
      assert.equal(await child.evaluate((el) => el.parentElement.dataset.objectId), id);
      await client.makeRequest('e2e/set_text', { id, text: 'Parent text' });
      await pageWait(page, ([sel, childSel]) => document.querySelector(sel).firstChild.textContent === 'Parent text'
        && document.querySelector(childSel) !== null, [`[data-object-id="${id}"]`, `[data-object-id="${childId}"]`]);
      client.destroyObject(childId);
      await child.waitFor({ state: 'detached' });
    } finally {
      client.close();
    }
  });

  it('converges when two pages edit the same text at once', async () => {
    const [first, second] = [await open(), await open()];
    const id = await first.locator('.os-text').first().getAttribute('data-object-id');
    const start = await pageText(elementById(first, id));
    await elementById(first, id).click();
    await first.keyboard.press('End');
    await elementById(second, id).click();
    await second.keyboard.press('Home');
    await Promise.all([
      first.keyboard.type('1234', { delay: 15 }),
      second.keyboard.type('abcd', { delay: 15 }),
    ]);
    // Both pages and the host end with the same text, each page's characters in the order
    // typed and where they were typed: a keystroke made on top of an unconfirmed one waits
    // for it, so the host never reads it against a version it reached differently.
    const sorted = (text) => [...text].sort().join('');
    const { client } = await connectNodeClient(env.webclientEsm, host.url.replace('http', 'ws'));
    try {
      const final = await waitFor(async () => {
        const texts = [await pageText(elementById(first, id)), await pageText(elementById(second, id)),
          await client.makeRequest('e2e/text', { id })];
        const models = await Promise.all([first, second].map((page) => page.evaluate(
          (objectId) => window.objectSyncDemo.client.getObject(objectId).text.getValue(), id)));
        const same = texts.every((t) => t === texts[0]) && models.every((m) => m === texts[0]);
        return same && sorted(texts[0]) === sorted(`${start}1234abcd`) ? texts[0] : null;
      }, 'both pages and the host to show the same text with all characters typed');
      assert.equal(final, `abcd${start}1234`);
    } finally {
      client.close();
    }
  });

  it('keeps the caret in place while another page types before it', async () => {
    const [first, second] = [await open(), await open()];
    const id = await first.locator('.os-text').first().getAttribute('data-object-id');
    const start = await pageText(elementById(first, id));
    await elementById(first, id).click();
    await first.keyboard.press('End');
    // The second page inserts at the start, one edit at a time; the first page's caret
    // moves along, so what it types next still goes at the end.
    await elementById(second, id).click();
    await second.keyboard.press('Home');
    let typed = '';
    for (const key of 'xyz') {
      await second.keyboard.type(key);
      typed += key;
      await waitForText(first, id, `${typed}${start}`);
    }
    await first.keyboard.type('!');
    await waitForText(second, id, `xyz${start}!`);
  });

  it('rolls a refused change back in the page', async () => {
    const page = await open();
    const id = await page.locator('.os-text').first().getAttribute('data-object-id');
    const before = await computedStyleOf(elementById(page, id));
    // One action: a style change the host would accept and an object of a type it does not
    // know, which it refuses; the whole action is refused.
    const optimistic = await page.evaluate((objectId) => {
      const { client } = window.objectSyncDemo;
      const object = client.getObject(objectId);
      client.record(() => {
        object.style.changeValue('background-color', 'rgb(255, 0, 0)');
        client.createObject('NoSuchType');
      });
      return getComputedStyle(object.el).backgroundColor;
    }, id);
    assert.equal(optimistic, 'rgb(255, 0, 0)'); // shown at once...
    await pageWait(page, ([sel, color]) => getComputedStyle(document.querySelector(sel)).backgroundColor === color,
      [`[data-object-id="${id}"]`, before.backgroundColor]); // ...and taken back
    assert.match(await page.locator('#message').textContent(), /refused/);
    await waitConnected(page);
  });

  it('reconnects after the host restarts and shows its current state', async () => {
    const page = await open();
    const port = host.port;
    await host.stop('SIGKILL');
    await pageWait(page, () => document.querySelector('#status').dataset.state !== 'open', undefined);
    host = await startE2eHost(env.e2eHost, { port, text: 'After a restart' });
    await waitConnected(page, 20000);
    const text = textElement(page, 'After a restart');
    await text.waitFor();
    const look = await computedStyleOf(text);
    assert.deepEqual(look, { ...seedLook, text: 'After a restart' });
    assert.equal(await page.locator('.os-text').count(), 2);
    // And it still edits.
    await text.click();
    await page.keyboard.press('End');
    await page.keyboard.type('!');
    const id = await text.getAttribute('data-object-id');
    const { client } = await connectNodeClient(env.webclientEsm, host.url.replace('http', 'ws'));
    try {
      await waitFor(async () => (await client.makeRequest('e2e/text', { id })) === 'After a restart!',
        'the edit to reach the restarted host');
    } finally {
      client.close();
    }
  });
});
