/** The object tree: creation from _objects, onStart ordering, parents, destruction, per-object helpers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DictTopic, ObjectSyncClient, Root, SObject, StringTopic } from '../src/index.js';
import { FakeHost, RecordingLogger, connect, makeClient } from './helpers.js';

const events: string[] = [];

class Note extends SObject {
  readonly text: StringTopic;
  readonly style: DictTopic<string>;
  constructor(client: ObjectSyncClient, id: string) {
    super(client, id);
    this.text = this.getAttribute('text', StringTopic);
    this.style = this.getAttribute('style', DictTopic<string>);
    this.link(this.text.onSet.add((t) => events.push(`${this.id} text=${t}`)));
  }
  override onStart(): void {
    events.push(`start ${this.id} parent=${this.parent?.id ?? 'none'} text=${this.text.getValue()}`);
  }
  override onDestroy(): void {
    events.push(`destroy ${this.id}`);
  }
  override onParentChangedTo(newParent: SObject | null): void {
    events.push(`move ${this.id} -> ${newParent?.id ?? 'none'}`);
  }
}

class MyRoot extends Root {
  override onStart(): void {
    events.push('start root');
  }
}

function hostWithNotes(): FakeHost {
  const host = new FakeHost();
  host.objectTypes.set('Note', { text: { type: 'string', value: 'new note' }, style: { type: 'dict', value: {} } });
  return host;
}

/** Adds an existing object to the host before the client connects. */
function preload(host: FakeHost, id: string, parent: string, text: string): void {
  host.addTopicSilently(`parent_id/${id}`, 'string', parent);
  host.addTopicSilently(`tags/${id}`, 'set', []);
  host.addTopicSilently(`a/${id}/text`, 'string', text);
  host.addTopicSilently(`a/${id}/style`, 'dict', {});
  const objects = host.topic('_objects').model;
  objects.reset({ ...(objects.value as Record<string, string>), [id]: 'Note' });
}

test('the root gets the default Root class when none is registered', () => {
  const host = new FakeHost();
  const h = makeClient();
  connect(h, host);
  const root = h.client.root;
  assert.ok(root instanceof Root);
  assert.equal(root.id, 'root');
  assert.ok(root.isStarted);
  assert.equal(root.parent, null);
  assert.equal(root.parentId, '');
});

test('objects start after their attributes arrived and after their parent started', () => {
  events.length = 0;
  const host = hostWithNotes();
  // The child is listed before its parent.
  preload(host, '0_2', '0_1', 'child');
  preload(host, '0_1', 'root', 'parent');
  const h = makeClient({ Note, Root: MyRoot });
  host.attach(h.socket, 1);
  host.pump();
  const starts = events.filter((e) => e.startsWith('start'));
  assert.deepEqual(starts, ['start root', 'start 0_1 parent=root text=parent', 'start 0_2 parent=0_1 text=child']);
  const parent = h.client.getObject('0_1') as Note;
  const child = h.client.getObject('0_2') as Note;
  assert.ok(parent.children.has(child));
  assert.equal(child.parent, parent);
  assert.ok(h.client.root!.children.has(parent));
  assert.deepEqual(parent.getChildrenOfType(Note), [child]);
  // The attribute's first value was reported to the listener linked in the constructor, before onStart.
  assert.ok(events.indexOf('0_1 text=parent') < events.indexOf('start 0_1 parent=root text=parent'));
});

test('an object does not start until every attribute has its value', () => {
  const h = makeClient({ Note });
  const s = h.socket;
  s.receive('hello', { id: 1 });
  const names = ['_topicsync/topic_list', '_objects', 'create_object', 'destroy_object', 'parent_id/root', 'tags/root',
    'parent_id/0_1', 'tags/0_1', 'a/0_1/text', 'a/0_1/style'];
  const list = Object.fromEntries(names.map((n) => [n, { type: 'generic' }]));
  s.receive('init', { topic_name: '_topicsync/topic_list', value: list });
  s.receive('init', { topic_name: '_objects', value: { root: 'Root', '0_1': 'Note' } });
  const note = h.client.getObject('0_1') as Note;
  assert.ok(note instanceof Note);
  const subscribed = s.take().filter((m) => m.type === 'subscribe').map((m) => m.args['topic_name']);
  for (const n of names.slice(1)) assert.ok(subscribed.includes(n), `subscribed to ${n}`);
  s.receive('init', { topic_name: 'parent_id/0_1', value: 'root', id: 'v1' });
  s.receive('init', { topic_name: 'tags/0_1', value: [] });
  s.receive('init', { topic_name: 'a/0_1/text', value: 'hi', id: 'v2' });
  s.receive('init', { topic_name: 'a/0_1/style', value: {} });
  assert.equal(note.isStarted, false, 'the parent (root) has not started yet');
  s.receive('init', { topic_name: 'parent_id/root', value: '', id: 'v3' });
  assert.equal(h.client.root!.isStarted, false, 'root still waits for its tags');
  s.receive('init', { topic_name: 'tags/root', value: [] });
  assert.ok(h.client.root!.isStarted);
  assert.ok(note.isStarted);
  assert.equal(note.parent, h.client.root);
});

test('an object waits for a missing attribute value', () => {
  const h = makeClient({ Note });
  const s = h.socket;
  s.receive('hello', { id: 1 });
  const names = ['_topicsync/topic_list', '_objects', 'parent_id/root', 'tags/root', 'parent_id/0_1', 'tags/0_1', 'a/0_1/text', 'a/0_1/style'];
  s.receive('init', { topic_name: '_topicsync/topic_list', value: Object.fromEntries(names.map((n) => [n, { type: 'generic' }])) });
  s.receive('init', { topic_name: '_objects', value: { root: 'Root', '0_1': 'Note' } });
  for (const [name, value] of [['parent_id/root', ''], ['tags/root', []], ['parent_id/0_1', 'root'], ['tags/0_1', []], ['a/0_1/text', 't']] as const) {
    s.receive('init', { topic_name: name, value, id: 'v' });
  }
  const note = h.client.getObject('0_1') as Note;
  assert.equal(note.isStarted, false);
  s.receive('init', { topic_name: 'a/0_1/style', value: { color: 'red' } });
  assert.equal(note.isStarted, true);
  assert.equal(note.style.get('color'), 'red');
});

test('createObject emits create_object with a client-made id; the object appears when the host lists it', () => {
  events.length = 0;
  const host = hostWithNotes();
  const h = makeClient({ Note });
  connect(h, host, 4);
  const id = h.client.createObject('Note', 'root');
  assert.match(id, /^4_\d+$/);
  const emit = h.socket.sent.filter((m) => m.type === 'action').pop()!;
  const cmd = emit.args['commands'][0];
  assert.equal(cmd.topic_name, 'create_object');
  assert.equal(cmd.type, 'emit');
  assert.deepEqual(cmd.args, { type: 'Note', parent_id: 'root', id });
  assert.equal(h.client.getObject(id), undefined, 'not created before the host lists it');
  host.pump();
  const note = h.client.getObject(id) as Note;
  assert.ok(note instanceof Note);
  assert.ok(note.isStarted);
  assert.equal(note.parent, h.client.root);
  assert.equal(note.text.getValue(), 'new note');
  assert.equal(h.client.pendingChangeCount, 0);

  const second = h.client.createObject('Note', id);
  host.pump();
  assert.equal(h.client.getObject(second)!.parent, note);
  assert.notEqual(second, id);
});

test('createObject sends build_kwargs; a type that needs them is built from them, and refused without', () => {
  class Card extends SObject {
    readonly title: StringTopic;
    constructor(client: ObjectSyncClient, id: string) {
      super(client, id);
      this.title = this.getAttribute('title', StringTopic);
    }
  }
  const host = new FakeHost();
  host.objectTypes.set('Card', { title: { type: 'string', value: '' } });
  host.requiredBuildKwargs.set('Card', ['title']);
  const h = makeClient({ Card });
  const rejects: string[] = [];
  h.client.onReject.add((reason) => rejects.push(reason));
  connect(h, host, 2);

  const id = h.client.createObject('Card', 'root', { title: 'Write the docs' });
  const cmd = h.socket.sent.filter((m) => m.type === 'action').pop()!.args['commands'][0];
  assert.deepEqual(cmd.args, { type: 'Card', parent_id: 'root', id, build_kwargs: { title: 'Write the docs' } });
  host.pump();
  assert.deepEqual(rejects, []);
  assert.equal(host.value(`a/${id}/title`), 'Write the docs');
  const card = h.client.getObject(id) as Card;
  assert.ok(card.isStarted);
  assert.equal(card.title.getValue(), 'Write the docs');

  // With an id of the caller's choosing, and without build arguments (none sent at all).
  const named = h.client.createObject('Card', id, { title: 'Sub' }, '2_named');
  assert.equal(named, '2_named');
  const bare = h.client.createObject('Card');
  const bareCmd = h.socket.sent.filter((m) => m.type === 'action').pop()!.args['commands'][0];
  assert.deepEqual(bareCmd.args, { type: 'Card', parent_id: 'root', id: bare });
  host.pump();
  assert.equal(h.client.getObject('2_named')!.parent, card);
  assert.equal(h.client.getObject(bare), undefined);
  assert.equal(rejects.length, 1);
  assert.match(rejects[0]!, /needs the build argument "title"/);

  // A string where the build arguments go (the id used to be the third argument) is refused.
  assert.throws(() => h.client.createObject('Card', 'root', 'an-id' as never), /fourth argument/);
});

test('destroyObject emits destroy_object; the subtree is destroyed children first and cleaned up', () => {
  events.length = 0;
  const host = hostWithNotes();
  const h = makeClient({ Note });
  connect(h, host);
  const a = h.client.createObject('Note');
  host.pump();
  const b = h.client.createObject('Note', a);
  host.pump();
  const noteA = h.client.getObject(a) as Note;
  const noteB = h.client.getObject(b) as Note;
  let removed = 0;
  noteB.link(() => { removed += 1; });
  events.length = 0;

  h.client.destroyObject(a);
  const emit = h.socket.sent.filter((m) => m.type === 'action').pop()!;
  assert.deepEqual(emit.args['commands'][0].args, { id: a });
  host.pump();
  assert.deepEqual(events, [`destroy ${b}`, `destroy ${a}`]);
  assert.equal(removed, 1);
  assert.ok(noteA.isDestroyed && noteB.isDestroyed);
  assert.equal(h.client.getObject(a), undefined);
  assert.equal(h.client.root!.children.size, 0);
  const unsubscribed = host.log.filter((m) => m.type === 'unsubscribe').map((m) => m.args['topic_name']);
  assert.ok(unsubscribed.includes(`a/${a}/text`) && unsubscribed.includes(`parent_id/${b}`));
  assert.throws(() => noteA.text.set('x'));
  assert.throws(() => noteA.getAttribute('text', StringTopic), /destroyed/);
  // link() after destroy runs the remover at once
  let late = 0;
  noteA.link(() => { late += 1; });
  assert.equal(late, 1);
});

test('moving an object calls onParentChangedTo and updates children', () => {
  events.length = 0;
  const host = hostWithNotes();
  const h = makeClient({ Note });
  connect(h, host);
  const a = h.client.createObject('Note');
  const b = h.client.createObject('Note');
  host.pump();
  const noteA = h.client.getObject(a)!;
  const noteB = h.client.getObject(b)!;
  noteB.setParent(noteA);
  assert.equal(noteB.parent, noteA);
  assert.ok(noteA.children.has(noteB));
  assert.ok(!h.client.root!.children.has(noteB));
  assert.ok(events.includes(`move ${b} -> ${a}`));
  host.pump();
  assert.equal(host.value(`parent_id/${b}`), a);
  // The host moves it back.
  host.transition((apply) => apply({ topic_name: `parent_id/${b}`, topic_type: 'string', type: 'set', value: 'root' }));
  assert.equal(noteB.parent, h.client.root);
  assert.ok(events.includes(`move ${b} -> root`));
});

test('a child moved under an object that starts later is attached when it starts', () => {
  events.length = 0;
  const host = hostWithNotes();
  const h = makeClient({ Note });
  connect(h, host);
  const a = h.client.createObject('Note');
  host.pump();
  // One host transition builds a new parent and moves the existing note under it.
  host.transition((apply) => {
    host.buildObject('0_77', 'Note', 'root', apply);
    apply({ topic_name: `parent_id/${a}`, topic_type: 'string', type: 'set', value: '0_77' });
  });
  host.pump();
  const parent = h.client.getObject('0_77')!;
  assert.ok(parent.isStarted);
  assert.equal(h.client.getObject(a)!.parent, parent);
  assert.ok(events.includes(`move ${a} -> 0_77`));
});

test('per-object events, requests and tags', async () => {
  const host = hostWithNotes();
  host.objectTypes.set('Note', { text: { type: 'string', value: '' }, style: { type: 'dict', value: {} }, clicked: { type: 'event', value: null } });
  host.services.set('root/describe', (args) => ({ ok: true, args }));
  const h = makeClient({ Note });
  connect(h, host);
  const id = h.client.createObject('Note');
  host.pump();
  const note = h.client.getObject(id) as Note;
  const got: unknown[] = [];
  note.on('clicked', (args) => got.push(args));
  host.pump();
  note.emit('clicked', { x: 1 });
  assert.deepEqual(got, [{ x: 1 }]);
  host.pump();
  assert.equal(h.client.pendingChangeCount, 0);
  assert.equal(note.getAttribute('clicked'), note.getAttribute('clicked'), 'same topic object each time');

  const reply = h.client.root!.makeRequest('describe', { deep: true });
  const request = h.socket.sent.filter((m) => m.type === 'request').pop()!;
  assert.equal(request.args['service_name'], 'root/describe');
  host.pump();
  assert.deepEqual(await reply, { ok: true, args: { deep: true } });

  note.tags.append('selected');
  host.pump();
  assert.deepEqual(host.value(`tags/${id}`), ['selected']);
});

test('an object\'s client is the ObjectSyncClient that made it, usable from the object\'s own code', () => {
  class Counter extends SObject {
    // The object's client is typed by what objects need; a class may name the full client type.
    declare protected readonly client: ObjectSyncClient;
    readonly count: StringTopic;
    constructor(client: ObjectSyncClient, id: string) {
      super(client, id);
      this.count = this.getAttribute('text', StringTopic);
    }
    get owner(): ObjectSyncClient {
      return this.client;
    }
    bump(): void {
      this.client.record(() => this.count.insert(0, `${this.client.clientId}:`));
    }
  }
  const host = hostWithNotes();
  const h = makeClient({ Note: Counter });
  connect(h, host, 4);
  const id = h.client.createObject('Note');
  host.pump();
  const counter = h.client.getObject(id) as Counter;
  assert.ok(counter instanceof Counter);
  assert.equal(counter.owner, h.client);
  const sentBefore = h.socket.sent.length;
  counter.bump();
  assert.equal(h.socket.sent.slice(sentBefore).filter((m) => m.type === 'action').length, 1);
  host.pump();
  assert.equal(host.value(`a/${id}/text`), '4:new note');
});

test('an unknown frontend_type falls back to SObject with a warning', () => {
  const host = hostWithNotes();
  host.objectTypes.set('Mystery', {});
  const logger = new RecordingLogger();
  const h = makeClient({}, { logger });
  connect(h, host);
  const id = h.client.createObject('Mystery');
  host.pump();
  const obj = h.client.getObject(id)!;
  assert.equal(obj.constructor, SObject);
  assert.ok(obj.isStarted);
  assert.ok(logger.lines.some((l) => l.includes('Mystery')));
});

test('a constructor that throws does not break the client', () => {
  class Broken extends SObject {
    constructor(client: ObjectSyncClient, id: string) {
      super(client, id);
      throw new Error('boom');
    }
  }
  const host = hostWithNotes();
  host.objectTypes.set('Broken', {});
  const h = makeClient({ Broken, Note });
  connect(h, host);
  const bad = h.client.createObject('Broken');
  const good = h.client.createObject('Note');
  host.pump();
  assert.equal(h.client.getObject(bad), undefined);
  assert.ok(h.client.getObject(good)!.isStarted);
});

test('when the host removes only a parent from _objects, its started children go with it', () => {
  events.length = 0;
  const host = hostWithNotes();
  const h = makeClient({ Note });
  connect(h, host);
  const a = h.client.createObject('Note');
  host.pump();
  const b = h.client.createObject('Note', a);
  host.pump();
  events.length = 0;
  host.transition((apply) => apply({ topic_name: '_objects', topic_type: 'dict', type: 'pop', key: a }));
  assert.deepEqual(events, [`destroy ${b}`, `destroy ${a}`]);
  assert.equal(h.client.getObject(b), undefined);
});
