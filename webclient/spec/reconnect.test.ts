/** Connection loss: backoff with jitter, resubscription, rebuild from init, pending rollback. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IntTopic, ObjectSyncClient, SObject, StringTopic } from '../src/index.js';
import { FakeHost, connect, makeClient } from './helpers.js';

test('reconnects with exponential backoff plus jitter, capped, reset after a session starts', () => {
  const h = makeClient({}, { reconnect: { initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0.5 } });
  const states: string[] = [];
  h.client.onConnectionStateChanged.add((s) => states.push(s));
  assert.equal(h.sockets.length, 1);
  const delays: number[] = [];
  for (let i = 0; i < 6; i++) {
    h.socket.drop();
    assert.equal(h.client.connectionState, 'closed');
    assert.equal(h.scheduler.pendingCount, 1);
    delays.push(h.client.lastRetryDelayMs!);
    const before: number = h.sockets.length;
    h.scheduler.advance(h.client.lastRetryDelayMs! - 1);
    assert.equal(h.sockets.length, before, 'no retry before the delay');
    h.scheduler.advance(1);
    assert.equal(h.sockets.length, before + 1, 'retry after the delay');
    assert.equal(h.client.connectionState, 'connecting');
  }
  // random() = 0.5 and jitter 0.5: 75% of the nominal 100, 200, 400, 800, 1000 (cap), 1000
  assert.deepEqual(delays, [75, 150, 300, 600, 750, 750]);
  assert.deepEqual(states.slice(0, 4), ['closed', 'connecting', 'closed', 'connecting']);

  const host = new FakeHost();
  connect(h, host);
  assert.equal(h.client.connectionState, 'open');
  assert.equal(h.client.reconnectAttempt, 0);
  h.socket.drop();
  assert.equal(h.client.lastRetryDelayMs, 75, 'backoff restarts after a successful session');
});

test('jitter stays within [1 - jitter, 1] of the nominal delay', () => {
  for (const r of [0, 0.25, 0.999]) {
    const h = makeClient({}, { random: () => r, reconnect: { initialDelayMs: 1000, jitter: 0.4 } });
    h.socket.drop();
    const d = h.client.lastRetryDelayMs!;
    assert.ok(d >= 600 && d <= 1000, `delay ${d} for random ${r}`);
    assert.equal(d, 1000 * (0.6 + 0.4 * r));
  }
});

test('a socket factory that throws is retried too', () => {
  let calls = 0;
  const h = makeClient({}, {
    socketFactory: () => {
      calls += 1;
      throw new Error('refused');
    },
  });
  assert.equal(calls, 1);
  assert.equal(h.client.connectionState, 'closed');
  h.scheduler.advance(h.client.lastRetryDelayMs!);
  assert.equal(calls, 2);
});

test('close() stops for good', () => {
  const h = makeClient();
  h.client.close();
  assert.equal(h.client.connectionState, 'closed');
  assert.ok(h.socket.closed);
  assert.equal(h.scheduler.pendingCount, 0);
  h.socket.drop();
  assert.equal(h.scheduler.pendingCount, 0);
  assert.equal(h.sockets.length, 1);
});

test('pending changes are rolled back at disconnect and not resent', () => {
  const host = new FakeHost();
  host.addTopicSilently('x', 'int', 1);
  const h = makeClient();
  connect(h, host);
  const x = h.client.getTopic('x', IntTopic);
  host.pump();
  const seen: number[] = [];
  x.onSet.add((v) => seen.push(v));
  x.set(50); // sent, but the connection drops before the host handles it
  h.socket.take();
  h.socket.drop();
  assert.equal(x.getValue(), 1);
  assert.deepEqual(seen, [50, 1]);
  assert.equal(h.client.pendingChangeCount, 0);
  assert.throws(() => x.set(2), /not connected/);

  h.scheduler.advance(h.client.lastRetryDelayMs!);
  connect(h, host, 2);
  assert.equal(h.client.clientId, '2');
  assert.equal(h.socket.sent.filter((m) => m.type === 'action').length, 0, 'nothing resent');
  assert.equal(x.getValue(), 1);
  x.set(3);
  host.pump();
  assert.equal(host.value('x'), 3);
  assert.match(String(host.log.filter((m) => m.type === 'action').pop()!.args['action_id']), /^2_/);
});

test('requests outstanding at disconnect are rejected; new requests while disconnected fail at once', async () => {
  const host = new FakeHost();
  const h = makeClient();
  connect(h, host);
  const p = h.client.makeRequest('slow', {});
  h.socket.drop();
  await assert.rejects(p, /connection lost/);
  await assert.rejects(h.client.makeRequest('x'), /not connected/);
});

const log: string[] = [];

class Item extends SObject {
  readonly label: StringTopic;
  constructor(client: ObjectSyncClient, id: string) {
    super(client, id);
    this.label = this.getAttribute('label', StringTopic);
    this.link(this.label.onSet.add((v) => log.push(`${id} label=${v}`)));
  }
  override onStart(): void {
    log.push(`start ${this.id}`);
  }
  override onDestroy(): void {
    log.push(`destroy ${this.id}`);
  }
  override onParentChangedTo(p: SObject | null): void {
    log.push(`move ${this.id} -> ${p?.id}`);
  }
}

test('after reconnecting, state is rebuilt from fresh init values', () => {
  log.length = 0;
  const host = new FakeHost();
  host.objectTypes.set('Item', { label: { type: 'string', value: '' } });
  host.addTopicSilently('score', 'int', 1);
  const h = makeClient({ Item });
  connect(h, host);
  const score = h.client.getTopic('score', IntTopic);
  const keep = h.client.createObject('Item');
  const gone = h.client.createObject('Item');
  const child = h.client.createObject('Item', keep);
  host.pump();
  const keepObj = h.client.getObject(keep) as Item;
  const childObj = h.client.getObject(child) as Item;
  keepObj.label.set('kept');
  host.pump();
  const scoreEvents: number[] = [];
  score.onSet.add((v) => scoreEvents.push(v));
  let subs = 0;
  h.client.topicList.onAdd.add(() => { subs += 1; });

  // Connection drops; the host goes on without us.
  h.socket.drop();
  host.socket = null;
  host.topic('score').model.apply({ topic_name: 'score', topic_type: 'int', type: 'set', value: 42, id: 'h1' });
  host.topic(`a/${keep}/label`).model.apply({ topic_name: `a/${keep}/label`, topic_type: 'string', type: 'set', value: 'renamed', id: 'h2' });
  host.topic(`parent_id/${child}`).model.apply({ topic_name: `parent_id/${child}`, topic_type: 'string', type: 'set', value: 'root', id: 'h3' });
  host.destroyObjectTree(gone, (c) => host.topic(c.topic_name).model.apply({ id: 'h', ...c }));
  host.buildObject('0_9', 'Item', keep, (c) => host.topic(c.topic_name).model.apply({ id: 'h', ...c }));
  host.topic('a/0_9/label').model.apply({ topic_name: 'a/0_9/label', topic_type: 'string', type: 'set', value: 'fresh', id: 'h4' });
  log.length = 0;

  h.scheduler.advance(h.client.lastRetryDelayMs!);
  connect(h, host, 5);

  assert.equal(h.client.connectionState, 'open');
  assert.equal(score.getValue(), 42);
  assert.deepEqual(scoreEvents, [42], 'views get a change event');
  assert.equal(keepObj.label.getValue(), 'renamed');
  assert.ok(log.includes(`${keep} label=renamed`));
  assert.ok(log.includes(`destroy ${gone}`));
  assert.equal(h.client.getObject(gone), undefined);
  assert.ok(log.includes('start 0_9'));
  assert.equal(h.client.getObject('0_9')!.parent, keepObj);
  assert.equal((h.client.getObject('0_9') as Item).label.getValue(), 'fresh');
  assert.equal(childObj.parent, h.client.root);
  assert.ok(log.includes(`move ${child} -> root`));
  assert.ok(!log.includes(`start ${keep}`), 'surviving objects do not start again');
  assert.ok(subs > 0);
  // Everything still in use was subscribed again on the new socket.
  const resubscribed = new Set(h.socket.sent.filter((m) => m.type === 'subscribe').map((m) => m.args['topic_name']));
  for (const name of ['_topicsync/topic_list', '_objects', 'score', `a/${keep}/label`, `parent_id/${child}`, 'a/0_9/label']) {
    assert.ok(resubscribed.has(name), `resubscribed ${name}`);
  }
  assert.ok(!resubscribed.has(`a/${gone}/label`), 'topics of removed objects are not requested');
  // And it works normally afterwards.
  keepObj.label.insert(0, '*');
  host.pump();
  assert.equal(host.value(`a/${keep}/label`), '*renamed');
  assert.equal(h.client.pendingChangeCount, 0);
});

test('connection state events: connecting, open, closed, connecting, open', () => {
  const host = new FakeHost();
  const h = makeClient({}, { autoConnect: false });
  const states: string[] = [];
  h.client.onConnectionStateChanged.add((s) => states.push(s));
  assert.equal(h.sockets.length, 0);
  h.client.connect();
  connect(h, host);
  h.socket.drop();
  h.scheduler.advance(10_000);
  connect(h, host, 2);
  assert.deepEqual(states, ['connecting', 'open', 'closed', 'connecting', 'open']);
});

test('listeners of \'open\' run when the session has started, before its first subscription goes out', () => {
  const host = new FakeHost();
  const h = makeClient();
  const seen: Array<[string | null, number]> = [];
  h.client.onConnectionStateChanged.add((s) => {
    if (s === 'open') seen.push([h.client.clientId, h.socket.sent.length]);
  });
  host.attach(h.socket, 3);
  assert.deepEqual(seen, [['3', 0]]);
  assert.deepEqual(h.socket.take(), [{ type: 'subscribe', args: { topic_name: '_topicsync/topic_list' } }]);
});
