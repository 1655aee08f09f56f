// Generic cards: objectsync-host with the taskboard scene, whose types (board, column, card)
// have no view of their own in the demo page, serving the pages of this source tree
// (OBJECTSYNC_WEB_PAGES). Every object shows up as a card with its type, id, attributes and
// children; edits made on a card reach another page and the host; values that do not fit are
// not sent; what the host refuses as read-only loses its editor. The dom scene shows no card.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';

import { launchBrowser } from '../lib/browser.mjs';
import { pageWait, waitConnected } from '../lib/demo.mjs';
import { env } from '../lib/env.mjs';
import { startRealHost } from '../lib/host.mjs';
import { connectNodeClient, readyTopic, waitFor } from '../lib/nodeclient.mjs';

function requireRealHost() {
  if (!env.realHost || !env.pluginDir) {
    throw new Error('OBJECTSYNC_HOST and OBJECTSYNC_PLUGIN_DIR must name objectsync-host and its plugin directory');
  }
}

/** The row of attribute `name` on the card of object `id` (not on the cards inside it). */
function row(page, id, name) {
  return page.locator(`.os-card[data-object-id="${id}"] > .os-card-attributes > [data-attribute="${name}"]`);
}

function editorOf(page, id, name) {
  return row(page, id, name).locator('.os-editor');
}

/** What the row shows: the editor's text, or the plain value of a read-only row. */
function shownValue(page, id, name) {
  return row(page, id, name).evaluate((el) => {
    const editor = el.querySelector('.os-editor');
    return editor ? editor.value : el.querySelector('.os-value')?.textContent ?? null;
  });
}

/** Waits until the row shows `expected`; the error says what it shows. */
async function waitForValue(page, id, name, expected) {
  try {
    await pageWait(page, ([sel, want]) => {
      const el = document.querySelector(sel);
      if (!el) return false;
      const editor = el.querySelector('.os-editor');
      return (editor ? editor.value : el.querySelector('.os-value')?.textContent) === want;
    }, [`.os-card[data-object-id="${id}"] > .os-card-attributes > [data-attribute="${name}"]`, expected]);
  } catch (error) {
    const shown = await shownValue(page, id, name).catch(() => '(no row)');
    throw new Error(`${id}/${name}: expected ${JSON.stringify(expected)}, the page shows ${JSON.stringify(shown)}`,
      { cause: error });
  }
}

describe('generic cards in the demo page against objectsync-host (taskboard scene)', () => {
  let browser;
  let host;
  let node; // a protocol client in Node: what the host has
  const ids = {}; // title -> object id, for the board, its columns and its cards

  before(async () => {
    requireRealHost();
    browser = await launchBrowser(env.chromium);
    host = await startRealHost(env.realHost, env.pluginDir, { scene: 'taskboard', webRoot: env.webPages });
    node = await connectNodeClient(env.webclientEsm, host.wsUrl);
    await node.client.ready();
    for (const [id, type] of Object.entries(node.client.objectsTopic.getValue())) {
      if (type === 'Root') continue;
      const title = await readyTopic(node.client, `a/${id}/title`, node.lib.StringTopic);
      ids[title.getValue()] = id;
    }
  });

  after(async () => {
    node?.client.close();
    if (browser) await browser.close();
    if (host) await host.stop();
  });

  let pages = [];
  afterEach(async () => {
    for (const page of pages) await page.close().catch(() => {});
    pages = [];
  });

  /** Opens the demo and waits until it shows the scene's 8 objects as cards. */
  async function open() {
    const page = await browser.newPage();
    pages.push(page);
    await page.goto(host.url);
    await waitConnected(page);
    await pageWait(page, () => document.querySelectorAll('.os-card').length === 8);
    return page;
  }

  /** The host's value of an attribute, as the Node client has it. */
  async function hostValue(id, name) {
    return node.client.getTopic(`a/${id}/${name}`).ready();
  }

  async function waitForHostValue(id, name, expected) {
    await waitFor(async () => {
      await hostValue(id, name);
      return JSON.stringify(node.client.getTopic(`a/${id}/${name}`).getValue()) === JSON.stringify(expected);
    }, `the host's ${id}/${name} to be ${JSON.stringify(expected)}`);
  }

  async function refusalShown(page, pattern) {
    await page.waitForFunction((source) => new RegExp(source).test(document.getElementById('message').textContent),
      pattern.source);
  }

  it('shows the board, its columns and its cards as nested cards with their type, id and values', async () => {
    const page = await open();
    const board = ids['Team board'];
    const [todo, doing] = [ids['To do'], ids.Doing];
    const [guide, login, release] = [ids['Write the plugin guide'], ids['Fix the login bug'], ids['Release 1.0']];
    assert.ok(board && todo && doing && guide && login && release, `the scene's objects: ${JSON.stringify(ids)}`);

    const types = await page.locator('.os-card').evaluateAll((els) => els.map((el) => el.dataset.frontendType));
    assert.deepEqual(types.sort(), ['board', 'card', 'card', 'card', 'card', 'column', 'column', 'column']);
    const head = page.locator(`.os-card[data-object-id="${login}"] > .os-card-head`);
    assert.equal(await head.locator('.os-card-type').textContent(), 'card');
    assert.equal(await head.locator('.os-card-id').textContent(), login);
    assert.equal(await page.locator('#scene > .os-card').getAttribute('data-object-id'), board, 'the board is at the top');
    // Children are inside their parent's card: board > column "Doing" > card "Fix the login bug".
    assert.equal(await page.locator(`.os-card[data-object-id="${board}"] > .os-card-children > `
      + `.os-card[data-object-id="${doing}"] > .os-card-children > .os-card[data-object-id="${login}"]`).count(), 1);

    // Every attribute, with its topic type; the values the scene set.
    const names = await page.locator(`.os-card[data-object-id="${login}"] > .os-card-attributes > .os-attribute`)
      .evaluateAll((els) => els.map((el) => `${el.dataset.attribute}:${el.dataset.topicType}`));
    assert.deepEqual(names.sort(), ['assignee:string', 'blocked_by:set', 'created_by:int', 'description:string',
      'labels:set', 'title:string']);
    assert.equal(await shownValue(page, login, 'title'), 'Fix the login bug');
    assert.equal(await shownValue(page, login, 'assignee'), 'bob');
    assert.equal(await shownValue(page, login, 'labels'), '["bug"]');
    assert.equal(await shownValue(page, release, 'description'), 'Once the guide and the fix are in.');
    assert.deepEqual(JSON.parse(await shownValue(page, release, 'blocked_by')).sort(), [guide, login].sort());
    assert.equal(await shownValue(page, doing, 'wip_limit'), '2');
    assert.equal(await shownValue(page, board, 'title'), 'Team board');
    assert.equal(await shownValue(page, board, 'members'), '["alice","bob","carol"]');

    // Editors by topic type; an event has none.
    assert.equal(await editorOf(page, login, 'title').evaluate((el) => el.tagName), 'TEXTAREA');
    assert.equal(await editorOf(page, doing, 'wip_limit').getAttribute('type'), 'number');
    assert.ok((await editorOf(page, login, 'labels').getAttribute('class')).includes('os-editor-json'));
    assert.equal(await editorOf(page, doing, 'clear').count(), 0);
    assert.equal(await row(page, doing, 'clear').locator('.os-value').textContent(), 'event (no value)');
  });

  it('sends edits of strings, numbers and JSON values to the host and to another page', async () => {
    const [a, b] = [await open(), await open()];
    const [login, todo] = [ids['Fix the login bug'], ids['To do']];

    // A string: typed into the middle, sent as an insertion.
    await editorOf(a, login, 'title').click();
    await a.keyboard.press('End');
    await a.keyboard.type(' at once');
    await waitForValue(b, login, 'title', 'Fix the login bug at once');
    await waitForHostValue(login, 'title', 'Fix the login bug at once');

    // An edit on page B reaches page A.
    await editorOf(b, login, 'description').click();
    await b.keyboard.type('Seen on page B.');
    await waitForValue(a, login, 'description', 'Seen on page B.');
    await waitForHostValue(login, 'description', 'Seen on page B.');

    // An int, committed with Enter.
    await editorOf(a, todo, 'wip_limit').fill('5');
    await editorOf(a, todo, 'wip_limit').press('Enter');
    await waitForValue(b, todo, 'wip_limit', '5');
    await waitForHostValue(todo, 'wip_limit', 5);

    // A set, as JSON, committed by leaving the field.
    await editorOf(b, login, 'labels').fill('["bug", "urgent"]');
    await editorOf(b, login, 'title').click();
    await waitForValue(a, login, 'labels', '["bug","urgent"]');
    await waitForHostValue(login, 'labels', ['bug', 'urgent']);
  });

  it('does not send what does not fit the type, and says why', async () => {
    const page = await open();
    const [guide, todo] = [ids['Write the plugin guide'], ids['To do']];
    const labelsBefore = await hostValue(guide, 'labels');

    await editorOf(page, guide, 'labels').fill('["docs", ');
    await editorOf(page, guide, 'labels').press('Enter');
    await row(page, guide, 'labels').locator('.os-attribute-error').filter({ hasText: /not JSON/ }).waitFor();
    assert.equal(await editorOf(page, guide, 'labels').getAttribute('aria-invalid'), 'true');
    for (const [text, error] of [['{"a": 1}', /a JSON array is needed/], ['["x", "x"]', /each item once/]]) {
      await editorOf(page, guide, 'labels').fill(text);
      await editorOf(page, guide, 'labels').press('Enter');
      await row(page, guide, 'labels').locator('.os-attribute-error').filter({ hasText: error }).waitFor();
    }
    assert.equal(await page.evaluate(() => window.objectSyncDemo.client.pendingChangeCount), 0, 'nothing was sent');
    assert.deepEqual(await hostValue(guide, 'labels'), labelsBefore);
    // Escape puts the synchronized value back.
    await editorOf(page, guide, 'labels').press('Escape');
    assert.equal(await shownValue(page, guide, 'labels'), JSON.stringify(labelsBefore));
    assert.equal(await editorOf(page, guide, 'labels').getAttribute('aria-invalid'), null);
    assert.equal(await row(page, guide, 'labels').locator('.os-attribute-error').textContent(), '');

    await editorOf(page, todo, 'wip_limit').fill('1.5');
    await editorOf(page, todo, 'wip_limit').press('Enter');
    await row(page, todo, 'wip_limit').locator('.os-attribute-error').filter({ hasText: /whole number/ }).waitFor();
    assert.equal(await page.evaluate(() => window.objectSyncDemo.client.pendingChangeCount), 0, 'nothing was sent');
    await editorOf(page, todo, 'wip_limit').press('Escape');

    // A value the type allows but the column's rules refuse: taken back, the editor stays.
    const limit = await hostValue(todo, 'wip_limit');
    await editorOf(page, todo, 'wip_limit').fill('-1');
    await editorOf(page, todo, 'wip_limit').press('Enter');
    await refusalShown(page, /a WIP limit cannot be negative/);
    await waitForValue(page, todo, 'wip_limit', String(limit));
    assert.equal(await editorOf(page, todo, 'wip_limit').count(), 1);
  });

  it('shows read-only attributes and the host\'s board without editors once the host refuses a change', async () => {
    const [a, b] = [await open(), await open()];
    const [board, login] = [ids['Team board'], ids['Fix the login bug']];

    // created_by is read-only: the host refuses the edit, the page puts the value back and
    // shows it without an editor from then on.
    await editorOf(a, login, 'created_by').fill('7');
    await editorOf(a, login, 'created_by').press('Enter');
    await refusalShown(a, new RegExp(`attribute 'created_by' of object '${login}' is read-only`));
    await row(a, login, 'created_by').locator('.os-read-only-badge').waitFor();
    assert.equal(await editorOf(a, login, 'created_by').count(), 0, 'no editor for a read-only attribute');
    await waitForValue(a, login, 'created_by', '0');
    assert.equal(await hostValue(login, 'created_by'), 0);
    assert.equal(await editorOf(a, login, 'title').count(), 1, 'the card\'s other attributes stay editable');

    // The board belongs to the host: after one refused edit, none of its attributes has an editor.
    await editorOf(a, board, 'title').click();
    await a.keyboard.press('End');
    await a.keyboard.type('!');
    await refusalShown(a, new RegExp(`object '${board}' belongs to the host`));
    await waitForValue(a, board, 'title', 'Team board');
    assert.equal(await a.locator(`.os-card[data-object-id="${board}"] > .os-card-attributes .os-editor`).count(), 0);
    assert.equal(await a.locator(`.os-card[data-object-id="${board}"] > .os-card-head .os-card-note`).textContent(),
      'belongs to the host');
    assert.equal(await hostValue(board, 'title'), 'Team board');
    assert.equal(await editorOf(a, ids.Doing, 'title').count(), 1, 'the columns inside it stay editable');

    // The other page was not told anything and still shows the values.
    await waitForValue(b, board, 'title', 'Team board');
    assert.equal(await b.locator('#message').textContent(), '');
  });

  it('shows the dom scene as elements, without cards', async () => {
    const dom = await startRealHost(env.realHost, env.pluginDir, { scene: 'dom', webRoot: env.webPages });
    try {
      const page = await browser.newPage();
      pages.push(page);
      await page.goto(dom.url);
      await waitConnected(page);
      await page.locator('.os-text', { hasText: 'Hello ObjectSync!' }).waitFor();
      assert.equal(await page.locator('.os-card').count(), 0);
    } finally {
      await dom.stop();
    }
  });
});
