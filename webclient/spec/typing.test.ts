/**
 * Concurrent typing: a string edit made on top of this client's own unanswered edit of the same
 * text is held (applied here, not sent) until the host answers the earlier one, so that the host
 * reads it against a version it confirmed and the user's characters stay where they were typed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DictTopic, IntTopic, StringTopic } from '../src/index.js';
import { FakeHost, connect, makeClient } from './helpers.js';
import { Page, SharedHost } from './sharedhost.js';

interface Caret {
  at: number;
}

/** A caret that moves with the text as the demo page's does (text inserted right at it goes before it). */
function caret(topic: StringTopic, at: number): Caret {
  const c = { at };
  topic.onInsert.add((text, position) => {
    if (position <= c.at) c.at += text.length;
  });
  topic.onDelete.add((text, position) => {
    if (position < c.at) c.at = Math.max(position, c.at - text.length);
  });
  return c;
}

/**
 * One keystroke at the caret: a character, '<' for backspace, or 'R' to type over the character
 * before the caret with `replacement` (one action: a delete and an insert, as the demo page sends).
 */
function press(page: Page, topic: StringTopic, c: Caret, key: string, replacement = 'r'): void {
  if (key === '<') {
    topic.delete(c.at - 1, 1);
  } else if (key === 'R') {
    page.client.record(() => {
      topic.delete(c.at - 1, 1);
      topic.insert(c.at, replacement);
    });
  } else {
    topic.insert(c.at, key);
  }
}

function actionsSent(page: Page): number {
  return page.socket.sent.filter((m) => m.type === 'action').length;
}

function twoPages(text: string): { host: SharedHost; a: Page; b: Page; ta: StringTopic; tb: StringTopic } {
  const host = new SharedHost();
  host.addTopic('text', 'string', text);
  host.addTopic('info', 'dict', {});
  host.addTopic('counter', 'int', 0);
  const a = host.join();
  const b = host.join();
  const ta = a.client.getTopic('text', StringTopic);
  const tb = b.client.getTopic('text', StringTopic);
  a.client.getTopic('info', DictTopic);
  b.client.getTopic('info', DictTopic);
  a.client.getTopic('counter', IntTopic);
  host.run();
  assert.ok(ta.isSynced && tb.isSynced);
  return { host, a, b, ta, tb };
}

test('a second keystroke waits for the first to be answered, then goes where it was typed', () => {
  const { host, a, b, ta, tb } = twoPages('hello world');
  const before = actionsSent(a);
  ta.insert(5, '!');
  ta.insert(6, '?');
  assert.equal(ta.getValue(), 'hello!? world');
  assert.equal(actionsSent(a) - before, 1, 'only the first keystroke is sent');
  assert.equal(a.client.heldChangeCount, 1);
  assert.equal(a.client.pendingChangeCount, 2);

  // Another page's edit reaches the host first, and this page hears of it before its own echo.
  tb.insert(0, '>> ');
  assert.ok(host.readNext(b));
  assert.ok(host.deliverNext(a));
  assert.equal(ta.getValue(), '>> hello!? world', 'both keystrokes stay, moved over the other edit');
  assert.equal(a.client.heldChangeCount, 1, 'still held: the first is not answered yet');

  host.run();
  for (const value of [host.value('text'), ta.getValue(), tb.getValue()]) assert.equal(value, '>> hello!? world');
  assert.equal(a.client.pendingChangeCount, 0);
  assert.equal(b.client.pendingChangeCount, 0);
  // The second keystroke named the version the first one produced on the host, at its moved position.
  const [first, second] = host.actions.filter((x) => x.client === 1).map((x) => x.commands[0]!);
  assert.equal(first!['position'], 5);
  assert.equal(second!['topic_version'], first!['result_topic_version']);
  assert.equal(second!['position'], 9);
  assert.equal(ta.version, tb.version);
});

test('bursts of keystrokes, backspaces and replacements on two pages keep each page\'s text as typed', () => {
  for (let seed = 1; seed <= 60; seed++) {
    const { host, a, b, ta, tb } = twoPages('hello world');
    const ca = caret(ta, 5);
    const cb = caret(tb, 0);
    const scripts: Array<{ page: Page; topic: StringTopic; caret: Caret; keys: string[]; replacement: string }> = [
      { page: a, topic: ta, caret: ca, keys: [...'ABCR<DERFG'], replacement: 'r' },
      { page: b, topic: tb, caret: cb, keys: [...'12<34R56'], replacement: 'q' },
    ];
    let state = seed;
    const random = (n: number): number => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return Math.floor((state / 2147483648) * n);
    };
    for (let step = 0; step < 10000; step++) {
      const moves: Array<() => boolean> = [];
      for (const s of scripts) {
        if (s.keys.length > 0) {
          moves.push(() => {
            press(s.page, s.topic, s.caret, s.keys.shift() as string, s.replacement);
            return true;
          });
        }
        moves.push(() => host.readNext(s.page), () => host.deliverNext(s.page));
      }
      const choice = moves[random(moves.length)] as () => boolean;
      choice();
      if (scripts.every((s) => s.keys.length === 0) && random(20) === 0) break;
    }
    host.run();
    const expected = '13q56helloABDrFG world';
    assert.equal(host.value('text'), expected, `seed ${seed}`);
    assert.equal(ta.getValue(), expected, `seed ${seed}`);
    assert.equal(tb.getValue(), expected, `seed ${seed}`);
    assert.equal(a.client.pendingChangeCount + b.client.pendingChangeCount, 0, `seed ${seed}`);
    assert.equal(ca.at, 16, `seed ${seed}`);
    assert.equal(cb.at, 5, `seed ${seed}`);
  }
});

test('deleting a character whose insert is still unanswered, while another page edits first', () => {
  const { host, a, b, ta, tb } = twoPages('hello');
  ta.insert(5, 'x');
  ta.delete(5, 1); // backspace: held, it removes the character just typed
  assert.equal(ta.getValue(), 'hello');
  tb.insert(0, '>');
  host.readNext(b);
  host.deliverNext(a);
  assert.equal(ta.getValue(), '>hello');
  host.run();
  for (const value of [host.value('text'), ta.getValue(), tb.getValue()]) assert.equal(value, '>hello');
  const sent = host.actions.filter((x) => x.client === 1).map((x) => x.commands[0]!);
  assert.deepEqual(sent.map((c) => [c.type, c['position']]), [['insert', 5], ['delete', 6]]);
});

test('typing over a character (delete and insert in one action) while another page edits first', () => {
  const { host, a, b, ta, tb } = twoPages('hello');
  a.client.record(() => {
    ta.delete(4, 1);
    ta.insert(4, 'O');
  });
  tb.insert(0, '>> ');
  host.readNext(b);
  host.run();
  for (const value of [host.value('text'), ta.getValue(), tb.getValue()]) assert.equal(value, '>> hellO');
  // Both edits name the version the action started from; the insert is written as if the
  // delete were not made yet, so the host moves it over the other edit and the delete alike.
  const [del, ins] = host.actions.filter((x) => x.client === 1)[0]!.commands;
  assert.equal(ins!['topic_version'], del!['topic_version']);
  assert.equal(ins!['position'], 5);
  assert.equal(a.client.pendingChangeCount, 0);
});

test('the host refuses the first keystroke: the held one moves back over it and is sent', () => {
  for (const withActionId of [true, false]) {
    const { host, a, ta, tb } = twoPages('hello world');
    const rejects: Array<[string, string | undefined]> = [];
    a.client.onReject.add((reason, id) => rejects.push([reason, id]));
    const version = ta.version;
    ta.insert(5, 'a');
    ta.insert(6, 'b');
    const refused = host.refuseNext(a, withActionId);
    const before = actionsSent(a);
    assert.ok(host.deliverNext(a));
    assert.equal(ta.getValue(), 'hellob world');
    assert.deepEqual(rejects, [['refused by the test', withActionId ? refused : undefined]]);
    assert.equal(actionsSent(a) - before, 1, 'the held keystroke is sent once the first is answered');
    assert.equal(a.client.heldChangeCount, 0);
    host.run();
    for (const value of [host.value('text'), ta.getValue(), tb.getValue()]) assert.equal(value, 'hellob world');
    const [sent] = host.actions.filter((x) => x.client === 1).map((x) => x.commands[0]!);
    assert.equal(sent!['position'], 5);
    assert.equal(sent!['topic_version'], version);
    assert.equal(a.client.pendingChangeCount, 0);
  }
});

test('an action holding a string edit is held whole, and later actions wait behind it', () => {
  const { host, a, ta } = twoPages('hello');
  const info = a.client.getTopic('info', DictTopic<number>);
  const counter = a.client.getTopic('counter', IntTopic);
  ta.insert(5, '!');
  a.client.record(() => {
    info.add('k', 1);
    ta.insert(6, '?');
  });
  counter.add(2); // nothing to do with the text, but made after a held action
  assert.equal(a.client.heldChangeCount, 3);
  assert.deepEqual(info.getValue(), { k: 1 });
  assert.equal(counter.getValue(), 2);
  host.run();
  const sent = host.actions.filter((x) => x.client === 1).map((x) => x.commands.map((c) => c.topic_name));
  assert.deepEqual(sent, [['text'], ['info', 'text'], ['counter']]);
  assert.equal(host.value('text'), 'hello!?');
  assert.deepEqual(host.value('info'), { k: 1 });
  assert.equal(host.value('counter'), 2);
  assert.equal(a.client.pendingChangeCount, 0);
});

test('a held action that no longer applies after a host change is dropped whole and reported', () => {
  const { host, a, b, ta, tb } = twoPages('hello');
  const info = a.client.getTopic('info', DictTopic<number>);
  const infoB = b.client.getTopic('info', DictTopic<number>);
  const rejects: Array<string | undefined> = [];
  a.client.onReject.add((_reason, id) => rejects.push(id));
  ta.insert(5, '!');
  const firstId = a.socket.sent.filter((m) => m.type === 'action').pop()!.args['action_id'];
  a.client.record(() => {
    ta.insert(6, '?');
    info.add('k', 1);
  });
  assert.equal(ta.getValue(), 'hello!?');
  infoB.add('k', 2); // another page adds the same key first
  host.readNext(b);
  host.deliverNext(a);
  assert.equal(ta.getValue(), 'hello!', 'the held action is taken back whole');
  assert.deepEqual(info.getValue(), { k: 2 });
  assert.equal(rejects.length, 1);
  assert.match(String(rejects[0]), /^1_\d+$/);
  assert.notEqual(rejects[0], firstId, 'the held action is reported, not the sent one');
  assert.equal(a.client.heldChangeCount, 0);
  host.run();
  assert.equal(host.actions.filter((x) => x.client === 1).length, 1, 'the dropped action was never sent');
  for (const value of [host.value('text'), ta.getValue(), tb.getValue()]) assert.equal(value, 'hello!');
  assert.deepEqual(host.value('info'), { k: 2 });
});

test('a host change of another topic leaves held text alone', () => {
  const { host, a, b, ta } = twoPages('hello');
  const counterB = b.client.getTopic('counter', IntTopic);
  host.run();
  const events: string[] = [];
  ta.onSet.add((v) => events.push(v));
  ta.insert(5, '!');
  ta.insert(6, '?');
  events.length = 0;
  counterB.add(5);
  host.readNext(b);
  host.deliverNext(a);
  assert.deepEqual(events, [], 'no text events: nothing moved');
  assert.equal(a.client.getTopic('counter', IntTopic).getValue(), 5);
  assert.equal(ta.getValue(), 'hello!?');
  assert.equal(a.client.heldChangeCount, 1);
  host.run();
  assert.equal(host.value('text'), 'hello!?');
});

test('the connection drops while a keystroke is held: everything is rolled back and nothing resent', () => {
  const host = new FakeHost();
  host.addTopicSilently('text', 'string', 'hello');
  const h = makeClient();
  connect(h, host);
  const text = h.client.getTopic('text', StringTopic);
  host.pump();
  const seen: string[] = [];
  text.onSet.add((v) => seen.push(v));
  text.insert(5, '!');
  text.insert(6, '?');
  assert.equal(h.client.heldChangeCount, 1);
  h.socket.take();
  h.socket.drop();
  assert.equal(text.getValue(), 'hello');
  assert.deepEqual(seen, ['hello!', 'hello!?', 'hello!', 'hello']);
  assert.equal(h.client.pendingChangeCount, 0);
  assert.equal(h.client.heldChangeCount, 0);

  h.scheduler.advance(h.client.lastRetryDelayMs!);
  connect(h, host, 2);
  host.pump();
  assert.equal(h.socket.sent.filter((m) => m.type === 'action').length, 0, 'nothing resent');
  // Nothing from the old session blocks a new edit.
  text.insert(5, 'x');
  assert.equal(h.client.heldChangeCount, 0);
  host.pump();
  assert.equal(host.value('text'), 'hellox');
  assert.equal(text.getValue(), 'hellox');
});

test('an echo that differs from the prediction: the client follows the host and keeps the held edit', () => {
  const host = new FakeHost();
  host.addTopicSilently('text', 'string', 'hello');
  const h = makeClient();
  connect(h, host);
  const text = h.client.getTopic('text', StringTopic);
  host.pump();
  h.socket.take();
  text.insert(5, '!');
  text.insert(6, '?');
  const [mine] = h.socket.take().filter((m) => m.type === 'action');
  const command = mine!.args['commands'][0];
  // A host that put our first keystroke somewhere else than predicted.
  h.socket.receive('update', {
    action_id: mine!.args['action_id'],
    changes: [{ ...command, id: `${command.id}_adjust`, position: 0 }],
  });
  assert.equal(text.getValue(), '!hello?');
  const [held] = h.socket.take().filter((m) => m.type === 'action');
  const sent = held!.args['commands'][0];
  assert.equal(sent.position, 6);
  assert.equal(sent.topic_version, command.result_topic_version);
  assert.equal(h.client.pendingChangeCount, 1);
});
