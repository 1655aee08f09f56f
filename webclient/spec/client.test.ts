/** Optimistic changes: apply, confirm, reject, order differs, record(), string versions, errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DictTopic, EventTopic, GenericTopic, IntTopic, InvalidChangeError, ListTopic, SetTopic, StringTopic,
} from '../src/index.js';
import { FakeHost, Message, RecordingLogger, connect, makeClient } from './helpers.js';

function hostWithTopics(): FakeHost {
  const host = new FakeHost();
  host.addTopicSilently('counter', 'int', 0);
  host.addTopicSilently('x', 'int', 1);
  host.addTopicSilently('title', 'string', 'hello');
  host.addTopicSilently('items', 'list', []);
  host.addTopicSilently('tagset', 'set', []);
  host.addTopicSilently('info', 'dict', {});
  host.addTopicSilently('ping', 'event', null);
  host.addTopicSilently('anything', 'generic', null);
  return host;
}

function actions(messages: Message[]): Message[] {
  return messages.filter((m) => m.type === 'action');
}

test('session start: hello, topic list, then the core topics', () => {
  const h = makeClient();
  const states: string[] = [];
  h.client.onConnectionStateChanged.add((s) => states.push(s));
  assert.equal(h.client.connectionState, 'connecting');
  h.socket.receive('hello', { id: 7 });
  assert.equal(h.client.clientId, '7');
  assert.deepEqual(h.socket.take(), [{ type: 'subscribe', args: { topic_name: '_topicsync/topic_list' } }]);
  h.socket.receive('init', {
    topic_name: '_topicsync/topic_list',
    value: {
      '_topicsync/topic_list': { type: 'dict', is_stateful: true, boundary_value: {} },
      _objects: { type: 'dict', is_stateful: true, boundary_value: { root: 'Root' }, order_strict: true },
      create_object: { type: 'event' }, destroy_object: { type: 'event' },
    },
  });
  const subs = h.socket.take().map((m) => m.args['topic_name']);
  assert.deepEqual(subs, ['_objects', 'create_object', 'destroy_object']);
  assert.deepEqual(states, ['open']);
  assert.equal(h.client.newId(), '7_1');
});

test('optimistic change applies at once and is confirmed by the update carrying its ids', () => {
  const host = hostWithTopics();
  const h = makeClient();
  connect(h, host);
  const counter = h.client.getTopic('counter', IntTopic);
  host.pump();
  assert.ok(counter.isSynced);
  const seen: number[] = [];
  counter.onSet.add((v) => seen.push(v));

  counter.add(5);
  assert.equal(counter.getValue(), 5);
  assert.deepEqual(seen, [5]);
  assert.equal(h.client.pendingChangeCount, 1);
  const sent = actions(h.socket.sent.slice(-1));
  assert.equal(sent.length, 1);
  const action = sent[0]!;
  assert.match(action.args['action_id'], /^1_\d+$/);
  assert.equal(action.args['commands'].length, 1);
  const cmd = action.args['commands'][0];
  assert.deepEqual({ ...cmd, id: 'X' }, { topic_name: 'counter', topic_type: 'int', type: 'add', value: 5, id: 'X' });
  assert.match(cmd.id, /^1_\d+$/);
  assert.notEqual(cmd.id, action.args['action_id']);

  host.pump();
  assert.equal(h.client.pendingChangeCount, 0);
  assert.equal(counter.getValue(), 5);
  assert.deepEqual(seen, [5], 'confirmation fires no event');
  assert.equal(host.value('counter'), 5);
});

test('reject without action_id rolls back every pending change, newest first', () => {
  const host = hostWithTopics();
  const h = makeClient();
  connect(h, host);
  const x = h.client.getTopic('x', IntTopic);
  const items = h.client.getTopic('items', ListTopic<string>);
  host.pump();
  h.socket.take();
  const log: string[] = [];
  x.onSet2.add((o, n) => log.push(`x ${o}->${n}`));
  items.onInsert.add((item, p) => log.push(`insert ${item}@${p}`));
  items.onPop.add((item, p) => log.push(`pop ${item}@${p}`));
  const rejects: Array<[string, string | undefined]> = [];
  h.client.onReject.add((r, a) => rejects.push([r, a]));

  x.set(10);
  items.append('a');
  x.set(20);
  assert.equal(h.client.pendingChangeCount, 3);
  h.socket.receive('reject', { reason: 'no' });
  assert.equal(h.client.pendingChangeCount, 0);
  assert.equal(x.getValue(), 1);
  assert.deepEqual(items.getValue(), []);
  assert.deepEqual(log, ['x 1->10', 'insert a@0', 'x 10->20', 'x 20->10', 'pop a@0', 'x 10->1']);
  assert.deepEqual(rejects, [['no', undefined]]);
});

test('reject with action_id drops only that action; later ones stay', () => {
  const host = hostWithTopics();
  const h = makeClient();
  connect(h, host);
  const x = h.client.getTopic('x', IntTopic);
  host.pump();
  h.socket.take();
  x.set(10);
  x.set(20);
  x.set(30);
  const sent = actions(h.socket.take());
  assert.equal(sent.length, 3);
  const log: string[] = [];
  x.onSet2.add((o, n) => log.push(`${o}->${n}`));
  const [first, second, third] = sent as [Message, Message, Message];
  h.socket.receive('update', { changes: first.args['commands'], action_id: first.args['action_id'] });
  h.socket.receive('reject', { reason: 'bad', action_id: second.args['action_id'] });
  assert.equal(x.getValue(), 30);
  assert.equal(h.client.pendingChangeCount, 1);
  assert.deepEqual(log, ['30->20', '20->10', '10->30'], 'taken off, then the one after it put back');
  // A reject naming an action that is no longer pending changes nothing.
  h.socket.receive('reject', { reason: 'late', action_id: 'nope' });
  assert.equal(x.getValue(), 30);
  assert.equal(h.client.pendingChangeCount, 1);
  h.socket.receive('update', { changes: third.args['commands'], action_id: third.args['action_id'] });
  assert.equal(h.client.pendingChangeCount, 0);
  assert.equal(x.getValue(), 30);
  assert.equal(log.length, 3, 'confirmations fire no event');
});

test('an answered action whose change did not come back stops waiting for it', () => {
  const host = hostWithTopics();
  const h = makeClient();
  connect(h, host);
  const x = h.client.getTopic('x', IntTopic);
  const counter = h.client.getTopic('counter', IntTopic);
  host.pump();
  h.socket.take();
  x.set(10);
  counter.add(1);
  const [, second] = actions(h.socket.take()) as [Message, Message];
  // The host answers the second action only: the first was answered before without an echo.
  h.socket.receive('update', { changes: second.args['commands'], action_id: second.args['action_id'] });
  assert.equal(counter.getValue(), 1);
  assert.equal(x.getValue(), 1, 'not coming back: taken back');
  assert.equal(h.client.pendingChangeCount, 0);
  // An update carrying an action with part of its changes: the rest is taken back.
  h.client.record(() => {
    x.set(7);
    counter.add(1);
  });
  const [both] = actions(h.socket.take()) as [Message];
  h.socket.receive('update', { changes: [both.args['commands'][1]], action_id: both.args['action_id'] });
  assert.equal(x.getValue(), 1);
  assert.equal(counter.getValue(), 2);
  assert.equal(h.client.pendingChangeCount, 0);
});

test('a pending change that no longer applies after a host change is taken back; the refusal follows', () => {
  const host = hostWithTopics();
  const h = makeClient();
  connect(h, host);
  const info = h.client.getTopic('info', DictTopic<number>);
  const x = h.client.getTopic('x', IntTopic);
  host.pump();
  h.socket.take();
  h.client.record(() => {
    info.add('k', 1);
    x.set(5);
  });
  const [mine] = actions(h.socket.take()) as [Message];
  h.socket.receive('update', {
    changes: [{ topic_name: 'info', topic_type: 'dict', type: 'add', key: 'k', value: 2, id: '2_3' }],
    action_id: '2_2',
  });
  assert.deepEqual(info.getValue(), { k: 2 });
  assert.equal(x.getValue(), 1, 'the whole action is taken back');
  assert.equal(h.client.pendingChangeCount, 0);
  const rejects: Array<string | undefined> = [];
  h.client.onReject.add((_reason, id) => rejects.push(id));
  h.socket.receive('reject', { reason: 'dict already has key "k"', action_id: mine.args['action_id'] });
  assert.deepEqual(rejects, [mine.args['action_id']]);
  assert.deepEqual(info.getValue(), { k: 2 });
  assert.equal(x.getValue(), 1);
});

test('a host change committed first goes below the pending changes, which are then confirmed', () => {
  const host = hostWithTopics();
  const h = makeClient();
  connect(h, host);
  const x = h.client.getTopic('x', IntTopic);
  host.pump();
  h.socket.take();
  const log: string[] = [];
  x.onSet2.add((o, n) => log.push(`${o}->${n}`));

  x.set(5);
  const [mine] = actions(h.socket.take());
  // Another client's change got in first.
  h.socket.receive('update', {
    changes: [{ topic_name: 'x', topic_type: 'int', type: 'set', value: 7, old_value: 1, id: '2_9' }], action_id: '2_8',
  });
  assert.equal(x.getValue(), 5, 'ours is put back on top');
  assert.equal(h.client.pendingChangeCount, 1);
  // Then the host applies ours, as predicted.
  h.socket.receive('update', { changes: mine!.args['commands'], action_id: mine!.args['action_id'] });
  assert.equal(x.getValue(), 5);
  assert.equal(h.client.pendingChangeCount, 0);
  assert.deepEqual(log, ['1->5', '5->1', '1->7', '7->5']);
});

test('a host listener change between our changes: confirm the first, replay the rest in host order', () => {
  const host = hostWithTopics();
  const h = makeClient();
  connect(h, host);
  const items = h.client.getTopic('items', ListTopic<string>);
  host.pump();
  h.socket.take();
  h.client.record(() => {
    items.append('a');
    items.append('b');
  });
  const [action] = actions(h.socket.take());
  const [c1, c2] = action!.args['commands'];
  const hostChange = { topic_name: 'items', topic_type: 'list', type: 'insert', item: 'H', position: -1, id: '0_5' };
  h.socket.receive('update', { changes: [c1, hostChange, c2], action_id: action!.args['action_id'] });
  assert.deepEqual(items.getValue(), ['a', 'H', 'b']);
  assert.equal(h.client.pendingChangeCount, 0);
});

test('record() sends one action with several commands; nested records join it', () => {
  const host = hostWithTopics();
  const h = makeClient();
  connect(h, host);
  const x = h.client.getTopic('x', IntTopic);
  const info = h.client.getTopic('info', DictTopic<number>);
  const tags = h.client.getTopic('tagset', SetTopic<string>);
  host.pump();
  h.socket.take();
  h.client.record(() => {
    x.add(1);
    h.client.record(() => info.add('k', 1));
    tags.append('t');
    info.changeValue('k', 2);
  });
  const sent = actions(h.socket.take());
  assert.equal(sent.length, 1);
  const types = sent[0]!.args['commands'].map((c: { topic_name: string; type: string }) => `${c.topic_name}:${c.type}`);
  assert.deepEqual(types, ['x:add', 'info:add', 'tagset:append', 'info:change_value']);
  const ids = new Set(sent[0]!.args['commands'].map((c: { id: string }) => c.id));
  assert.equal(ids.size, 4, 'change ids are unique');
  assert.equal(sent[0]!.args['commands'][3].old_value, 1, 'change_value carries old_value');
  host.socket!.sent.push(...sent);
  host.pump();
  assert.equal(h.client.pendingChangeCount, 0);
  assert.deepEqual(host.value('info'), { k: 2 });
  assert.equal(host.value('x'), 2);
});

test('record() rolls back and sends nothing when its function throws', () => {
  const host = hostWithTopics();
  const h = makeClient();
  connect(h, host);
  const x = h.client.getTopic('x', IntTopic);
  const tags = h.client.getTopic('tagset', SetTopic<string>);
  host.pump();
  h.socket.take();
  assert.throws(() => h.client.record(() => {
    x.set(3);
    tags.append('a');
    tags.append('a'); // duplicate: refused locally
  }), InvalidChangeError);
  assert.equal(x.getValue(), 1);
  assert.deepEqual(tags.getValue(), []);
  assert.equal(h.client.pendingChangeCount, 0);
  assert.deepEqual(actions(h.socket.take()), []);
});

test('an invalid local change throws and sends nothing', () => {
  const host = hostWithTopics();
  const h = makeClient();
  connect(h, host);
  const items = h.client.getTopic('items', ListTopic<string>);
  const x = h.client.getTopic('x', IntTopic);
  host.pump();
  h.socket.take();
  assert.throws(() => items.pop(), InvalidChangeError);
  assert.throws(() => x.set(1.5), InvalidChangeError);
  assert.deepEqual(h.socket.take(), []);
});

test('changes made by listeners in reaction to a local change join its action', () => {
  const host = hostWithTopics();
  const h = makeClient();
  connect(h, host);
  const x = h.client.getTopic('x', IntTopic);
  const counter = h.client.getTopic('counter', IntTopic);
  host.pump();
  h.socket.take();
  x.onSet.add(() => counter.add(1));
  x.set(4);
  const sent = actions(h.socket.take());
  assert.equal(sent.length, 1);
  assert.equal(sent[0]!.args['commands'].length, 2);
  host.socket!.sent.push(...sent);
  host.pump();
  assert.equal(h.client.pendingChangeCount, 0);
  assert.equal(counter.getValue(), 1);
});

test('changes made by listeners while a host update is applied are sent after it', () => {
  const host = hostWithTopics();
  const h = makeClient();
  connect(h, host);
  const x = h.client.getTopic('x', IntTopic);
  const counter = h.client.getTopic('counter', IntTopic);
  host.pump();
  h.socket.take();
  let valueSeenInListener = -1;
  x.onSet.add(() => {
    counter.add(1);
    valueSeenInListener = counter.getValue();
  });
  host.transition((apply) => apply({ topic_name: 'x', topic_type: 'int', type: 'set', value: 9 }));
  assert.equal(valueSeenInListener, 0, 'deferred until the update is processed');
  assert.equal(counter.getValue(), 1);
  const sent = actions(h.socket.take());
  assert.equal(sent.length, 1);
  host.socket!.sent.push(...sent);
  host.pump();
  assert.equal(host.value('counter'), 1);
  assert.equal(h.client.pendingChangeCount, 0);
});

test('string edits carry topic_version and a fresh result_topic_version; versions follow updates', () => {
  const host = hostWithTopics();
  const h = makeClient();
  connect(h, host);
  const title = h.client.getTopic('title', StringTopic);
  host.pump();
  h.socket.take();
  const v0 = host.version('title');
  assert.equal(title.version, v0, 'version from init id');
  const inserted: Array<[string, number]> = [];
  title.onInsert.add((s, p) => inserted.push([s, p]));

  title.insert(5, ' world');
  title.delete(0, 1);
  assert.equal(title.getValue(), 'ello world');
  assert.deepEqual(inserted, [[' world', 5]]);
  // The delete builds on the unanswered insert: it waits until the host answers it.
  assert.equal(h.client.pendingChangeCount, 2);
  assert.equal(h.client.heldChangeCount, 1);
  const sent = actions(h.socket.take());
  assert.equal(sent.length, 1);
  const ins = sent[0]!.args['commands'][0];
  assert.equal(ins.type, 'insert');
  assert.equal(ins.topic_version, v0);
  assert.equal(typeof ins.result_topic_version, 'string');
  assert.notEqual(ins.result_topic_version, ins.id);

  host.socket!.sent.push(...sent);
  host.pump();
  const del = actions(host.log).pop()!.args['commands'][0];
  assert.equal(del.type, 'delete');
  assert.equal(del.topic_version, ins.result_topic_version);
  assert.equal(del.deletion, 'h');
  assert.equal(title.version, del.result_topic_version);
  assert.equal(h.client.pendingChangeCount, 0);
  assert.equal(host.value('title'), 'ello world');
  assert.equal(host.version('title'), title.version);

  // A change by someone else moves the version.
  host.transition((apply) => apply({
    topic_name: 'title', topic_type: 'string', type: 'insert', topic_version: host.version('title'),
    position: 0, insertion: '>', result_topic_version: 'other_1',
  }));
  assert.equal(title.getValue(), '>ello world');
  assert.equal(title.version, 'other_1');
});

test('concurrent string edits: ours is moved over the host change as the host will move it', () => {
  const host = hostWithTopics();
  const h = makeClient();
  connect(h, host);
  const title = h.client.getTopic('title', StringTopic);
  host.pump();
  h.socket.take();
  title.insert(5, '!'); // "hello!" locally, not yet seen by the host
  // Meanwhile the host inserts at 0 based on the same version.
  host.transition((apply) => apply({
    topic_name: 'title', topic_type: 'string', type: 'insert', topic_version: host.version('title'),
    position: 0, insertion: '>> ', result_topic_version: 'srv_1',
  }));
  assert.equal(title.getValue(), '>> hello!', 'host change applied below our pending edit');
  assert.equal(h.client.pendingChangeCount, 1);
  const seen: string[] = [];
  title.onSet.add((v) => seen.push(v));
  host.pump(); // the host now applies our edit against the old version: transformed, new id
  const lastUpdate = host.log.length;
  assert.ok(lastUpdate > 0);
  assert.equal(host.value('title'), '>> hello!');
  assert.equal(title.getValue(), '>> hello!');
  assert.equal(title.version, host.version('title'));
  assert.equal(h.client.pendingChangeCount, 0);
  assert.deepEqual(seen, [], 'the moved edit confirms what is shown');
});

test('every change kind round-trips through the host', () => {
  const host = hostWithTopics();
  const h = makeClient();
  connect(h, host);
  const c = h.client;
  const items = c.getTopic('items', ListTopic<string>);
  const tags = c.getTopic('tagset', SetTopic<string>);
  const info = c.getTopic('info', DictTopic<number>);
  const ping = c.getTopic('ping', EventTopic<{ n: number }>);
  const anything = c.getTopic('anything', GenericTopic<{ a: number[] }>);
  const x = c.getTopic('x', IntTopic);
  host.pump();
  const emitted: number[] = [];
  ping.onEmit.add((a) => emitted.push(a.n));
  items.insert('a');
  items.insert('b', 0);
  assert.equal(items.pop(0), 'b');
  items.append('c');
  assert.ok(items.remove('a'));
  tags.append('t1');
  tags.append('t2');
  tags.remove('t1');
  info.add('a', 1);
  info.add('b', 2);
  info.changeValue('a', 3);
  assert.equal(info.pop('b'), 2);
  ping.emit({ n: 1 });
  anything.set({ a: [1] });
  x.add(-3);
  host.pump();
  assert.equal(c.pendingChangeCount, 0);
  assert.deepEqual(items.getValue(), ['c']);
  assert.deepEqual(host.value('items'), ['c']);
  assert.deepEqual(tags.getValue(), ['t2']);
  assert.deepEqual(host.value('tagset'), ['t2']);
  assert.deepEqual(info.getValue(), { a: 3 });
  assert.deepEqual(host.value('info'), { a: 3 });
  assert.deepEqual(anything.getValue(), { a: [1] });
  assert.equal(host.value('x'), -2);
  assert.deepEqual(emitted, [1], 'emit fires once (optimistically), not again on confirmation');
});

test('host refusal through the fake host: the whole action is rolled back', () => {
  const host = hostWithTopics();
  host.rejectWithActionId = false;
  const h = makeClient();
  connect(h, host);
  const info = h.client.getTopic('info', DictTopic<number>);
  host.pump();
  host.transition((apply) => apply({ topic_name: 'info', topic_type: 'dict', type: 'add', key: 'k', value: 1 }));
  // Our view is stale on purpose: pretend we did not see it by sending a conflicting action by hand.
  h.socket.sent.push({
    type: 'action',
    args: { action_id: 'manual', commands: [{ topic_name: 'info', topic_type: 'dict', type: 'add', key: 'k', value: 5, id: 'm1' }] },
  });
  const rejects: string[] = [];
  h.client.onReject.add((r) => rejects.push(r));
  host.pump();
  assert.equal(rejects.length, 1);
  assert.deepEqual(host.value('info'), { k: 1 });
  assert.deepEqual(info.getValue(), { k: 1 });
});

test('unknown change types and bad host changes do not crash: the topic is resynchronized', () => {
  const host = hostWithTopics();
  const logger = new RecordingLogger();
  const h = makeClient({}, { logger });
  connect(h, host);
  const x = h.client.getTopic('x', IntTopic);
  host.pump();
  h.socket.take();
  h.socket.receive('update', {
    changes: [{ topic_name: 'x', topic_type: 'int', type: 'multiply', value: 3, id: '0_99', extra: true }], action_id: '',
  });
  assert.ok(logger.lines.some((l) => l.startsWith('error:')));
  const sent = h.socket.take();
  assert.deepEqual(sent.map((m) => m.type), ['unsubscribe', 'subscribe']);
  assert.equal(x.isSynced, false);
  host.socket!.sent.push(...sent);
  host.pump();
  assert.equal(x.isSynced, true);
  assert.equal(x.getValue(), 1);
});

test('unknown messages, unknown fields and malformed frames are ignored', () => {
  const host = hostWithTopics();
  const h = makeClient();
  connect(h, host);
  const x = h.client.getTopic('x', IntTopic);
  host.pump();
  h.socket.receive('future_message', { whatever: 1 });
  h.socket.receiveRaw('not json');
  h.socket.receiveRaw('[1,2]');
  h.socket.receive('update', {
    changes: [{ topic_name: 'x', topic_type: 'int', type: 'set', value: 4, id: '0_50', future_field: { a: 1 } }],
    action_id: '', also_new: true,
  });
  h.socket.receive('update', { changes: [{ topic_name: 'not_subscribed', topic_type: 'int', type: 'set', value: 1, id: '0_51' }] });
  assert.equal(x.getValue(), 4);
});

test('changing a topic before its value arrived, or while disconnected, throws', () => {
  const host = hostWithTopics();
  const h = makeClient();
  const x = h.client.getTopic('x', IntTopic);
  assert.throws(() => x.set(1), /not connected/);
  connect(h, host);
  const counter = h.client.getTopic('counter', IntTopic);
  // subscribe sent but init not yet delivered
  assert.throws(() => counter.set(1), /has not arrived/);
  host.pump();
  counter.set(2);
  h.client.unsubscribe(counter);
  assert.throws(() => counter.set(3), /removed or unsubscribed/);
});

test('a token goes out first on every connection, before anything else', () => {
  const h = makeClient({}, { token: 's3cret' });
  h.socket.onopen?.();
  assert.deepEqual(h.socket.take(), [{ type: 'hello', args: { token: 's3cret' } }]);
  h.socket.receive('hello', { id: 3 });
  assert.equal(h.socket.take()[0]?.type, 'subscribe');
  // After a reconnection the new connection starts with the token again.
  h.socket.drop();
  h.scheduler.advance(60000);
  h.socket.onopen?.();
  assert.deepEqual(h.socket.take()[0], { type: 'hello', args: { token: 's3cret' } });
});

test('without a token the client sends nothing before the host says hello', () => {
  const h = makeClient();
  h.socket.onopen?.();
  assert.deepEqual(h.socket.take(), []);
});
