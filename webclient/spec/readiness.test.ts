/** Readiness: client.ready() and topic.ready(), and the warning for an object waiting for a topic the host lacks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IntTopic, ObjectSyncClient, SObject, StringTopic, TopicDetachedError } from '../src/index.js';
import { FakeHost, RecordingLogger, connect, makeClient } from './helpers.js';

/** Lets every settled Promise run its callbacks. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Whether a Promise has settled yet: 'pending', 'resolved' or 'rejected'. */
function watch(p: Promise<unknown>): { readonly state: string } {
  const w = { state: 'pending' };
  p.then(() => { w.state = 'resolved'; }, () => { w.state = 'rejected'; });
  return w;
}

class Card extends SObject {
  readonly title: StringTopic;
  constructor(client: ObjectSyncClient, id: string) {
    super(client, id);
    this.title = this.getAttribute('title', StringTopic);
  }
}

/** A card whose author misspelt an attribute name. */
class TypoCard extends SObject {
  readonly title: StringTopic;
  constructor(client: ObjectSyncClient, id: string) {
    super(client, id);
    this.title = this.getAttribute('titel', StringTopic);
  }
}

function hostWithCard(id = '0_1', title = 'First'): FakeHost {
  const host = new FakeHost();
  host.objectTypes.set('Card', { title: { type: 'string', value: '' } });
  host.addTopicSilently(`parent_id/${id}`, 'string', 'root');
  host.addTopicSilently(`tags/${id}`, 'set', []);
  host.addTopicSilently(`a/${id}/title`, 'string', title);
  const objects = host.topic('_objects').model;
  objects.reset({ ...(objects.value as Record<string, string>), [id]: 'Card' });
  return host;
}

test('client.ready() resolves once connected with the object tree and its attributes, not before', async () => {
  const h = makeClient({ Card });
  const ready = h.client.ready();
  const state = watch(ready);
  const s = h.socket;
  assert.equal(h.client.isReady, false);
  s.receive('hello', { id: 1 });
  await settle();
  assert.equal(state.state, 'pending', 'not ready on hello');
  s.receive('init', {
    topic_name: '_topicsync/topic_list',
    value: {
      '_topicsync/topic_list': { type: 'dict' }, _objects: { type: 'dict' },
      create_object: { type: 'event' }, destroy_object: { type: 'event' },
      'parent_id/root': { type: 'string' }, 'tags/root': { type: 'set' },
      'parent_id/0_1': { type: 'string' }, 'tags/0_1': { type: 'set' }, 'a/0_1/title': { type: 'string' },
    },
  });
  s.receive('init', { topic_name: '_objects', value: { root: 'Root', '0_1': 'Card' } });
  s.receive('init', { topic_name: 'create_object', value: null });
  s.receive('init', { topic_name: 'destroy_object', value: null });
  s.receive('init', { topic_name: 'parent_id/root', value: '', id: 'v0' });
  s.receive('init', { topic_name: 'tags/root', value: [] });
  s.receive('init', { topic_name: 'parent_id/0_1', value: 'root', id: 'v1' });
  s.receive('init', { topic_name: 'tags/0_1', value: [] });
  await settle();
  assert.equal(state.state, 'pending', 'the card\'s title has not arrived');
  assert.equal(h.client.isReady, false);
  s.receive('init', { topic_name: 'a/0_1/title', value: 'First', id: 'v2' });
  assert.equal(h.client.isReady, true);
  await ready;
  const card = h.client.getObject('0_1') as Card;
  assert.ok(card.isStarted);
  assert.equal(card.title.getValue(), 'First');
  // Ready already: resolves at once.
  await h.client.ready();
});

test('after the connection drops, ready() waits for the next session; close() rejects it', async () => {
  const host = hostWithCard();
  const h = makeClient({ Card });
  connect(h, host);
  assert.equal(h.client.isReady, true);
  h.socket.drop();
  assert.equal(h.client.isReady, false);
  const again = h.client.ready();
  const state = watch(again);
  await settle();
  assert.equal(state.state, 'pending');
  h.scheduler.advance(10_000);
  connect(h, host, 2);
  await again;

  h.socket.drop();
  const never = h.client.ready();
  h.client.close();
  await assert.rejects(never, /closed/);
  await assert.rejects(h.client.ready(), /closed/);
});

test('an object waiting for a topic the host lacks does not hold back ready()', async () => {
  const host = hostWithCard();
  const h = makeClient({ Card: TypoCard });
  connect(h, host);
  await h.client.ready();
  assert.equal(h.client.getObject('0_1')!.isStarted, false);
  assert.ok(h.client.root!.isStarted);
});

test('topic.ready() resolves with the first value; at once when it has one; rejects when let go first', async () => {
  const host = new FakeHost();
  host.addTopicSilently('count', 'int', 7);
  const h = makeClient();
  const count = h.client.getTopic('count', IntTopic);
  const first = count.ready();
  const state = watch(first);
  await settle();
  assert.equal(state.state, 'pending');
  connect(h, host);
  assert.equal(await first, 7);
  count.set(8);
  assert.equal(await count.ready(), 8);

  // A topic the host adds later: ready when it arrives.
  const later = h.client.getTopic('later', StringTopic);
  const laterReady = later.ready();
  const laterState = watch(laterReady);
  await settle();
  assert.equal(laterState.state, 'pending');
  host.transition((apply) => host.createTopic('later', 'string', 'hello', apply));
  host.pump();
  assert.equal(await laterReady, 'hello');

  const gone = h.client.getTopic('never', StringTopic);
  const goneReady = gone.ready();
  h.client.unsubscribe(gone);
  await assert.rejects(goneReady, (error: unknown) => error instanceof TopicDetachedError);
  await assert.rejects(gone.ready(), TopicDetachedError);
});

test('an object waiting for a topic the host lacks is reported once, after the grace delay', async () => {
  const host = hostWithCard('0_4');
  const logger = new RecordingLogger();
  const h = makeClient({ Card: TypoCard }, { logger });
  connect(h, host);
  h.scheduler.advance(1999);
  assert.deepEqual(logger.lines, []);
  h.scheduler.advance(1);
  assert.equal(logger.lines.length, 1);
  assert.match(logger.lines[0]!, /^warn: /);
  assert.match(logger.lines[0]!, /object "0_4" \(Card\) waits for topic "a\/0_4\/titel", which the host does not have/);
  h.scheduler.advance(60_000);
  h.socket.drop();
  h.scheduler.advance(10_000);
  connect(h, host, 2);
  h.scheduler.advance(60_000);
  assert.equal(logger.lines.length, 1, 'once, even after reconnecting');

  // Once the host has the topic, the object starts.
  host.transition((apply) => host.createTopic('a/0_4/titel', 'string', 'late', apply));
  host.pump();
  assert.ok(h.client.getObject('0_4')!.isStarted);
});

test('the missing-topic warning goes to console.warn by default; none for topics that arrive or when turned off', () => {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => { warnings.push(args.map(String).join(' ')); };
  try {
    const typo = makeClient({ Card: TypoCard }, { logger: undefined });
    connect(typo, hostWithCard('0_9'));
    typo.scheduler.advance(2000);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /"0_9".*"a\/0_9\/titel"/);

    warnings.length = 0;
    const fine = makeClient({ Card }, { logger: undefined });
    connect(fine, hostWithCard('0_9'));
    fine.scheduler.advance(60_000);
    const quiet = makeClient({ Card: TypoCard }, { logger: undefined, missingTopicWarningMs: Infinity });
    connect(quiet, hostWithCard('0_9'));
    quiet.scheduler.advance(60_000);
    assert.deepEqual(warnings, []);
  } finally {
    console.warn = original;
  }
});

test('a missing topic whose object is destroyed before the delay is not reported', () => {
  const host = hostWithCard('0_5');
  const logger = new RecordingLogger();
  const h = makeClient({ Card: TypoCard }, { logger });
  connect(h, host);
  h.client.destroyObject('0_5');
  host.pump();
  assert.equal(h.client.getObject('0_5'), undefined);
  h.scheduler.advance(60_000);
  assert.deepEqual(logger.lines, []);
});
