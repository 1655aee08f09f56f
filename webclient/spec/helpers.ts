/**
 * Test doubles: a fake socket, a manual scheduler and a small in-memory host that speaks the
 * wire protocol (built on the same TopicModel), so the client can be driven end to end.
 */
import {
  ChangeDict, ObjectSyncClient, ObjectSyncClientOptions, SObjectClass, Scheduler, SocketLike, TopicModel, TopicTypeName,
} from '../src/index.js';
import type { Logger } from '../src/util.js';

export interface Message {
  type: string;
  args: Record<string, any>;
}

export class FakeSocket implements SocketLike {
  onopen: ((event?: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event?: unknown) => void) | null = null;
  onerror: ((event?: unknown) => void) | null = null;
  readonly sent: Message[] = [];
  closed = false;
  private cursor = 0;

  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.closed) throw new Error('send on a closed socket');
    this.sent.push(JSON.parse(data) as Message);
  }

  close(): void {
    this.closed = true;
  }

  // --- driven by tests
  receive(type: string, args: Record<string, unknown>): void {
    this.onmessage?.({ data: JSON.stringify({ type, args }) });
  }

  receiveRaw(data: unknown): void {
    this.onmessage?.({ data });
  }

  /** The connection drops (server side). */
  drop(): void {
    this.closed = true;
    this.onclose?.({});
  }

  /** Messages sent since the last call. */
  take(): Message[] {
    const out = this.sent.slice(this.cursor);
    this.cursor = this.sent.length;
    return out;
  }
}

export class ManualScheduler implements Scheduler {
  now = 0;
  private nextHandle = 1;
  readonly timers = new Map<number, { at: number; callback: () => void; delay: number }>();
  readonly delays: number[] = [];

  setTimeout(callback: () => void, delayMs: number): unknown {
    const handle = this.nextHandle++;
    this.timers.set(handle, { at: this.now + delayMs, callback, delay: delayMs });
    this.delays.push(delayMs);
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Advances time, firing due timers in order. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      let next: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.timers) if (entry[1].at <= end && (next === undefined || entry[1].at < next[1].at)) next = entry;
      if (next === undefined) break;
      this.timers.delete(next[0]);
      this.now = next[1].at;
      next[1].callback();
    }
    this.now = end;
  }

  get pendingCount(): number {
    return this.timers.size;
  }
}

export const silentLogger: Logger = { debug() {}, warn() {}, error() {} };

export class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  debug(): void {}
  warn(...args: unknown[]): void {
    this.lines.push('warn: ' + args.map(String).join(' '));
  }
  error(...args: unknown[]): void {
    this.lines.push('error: ' + args.map(String).join(' '));
  }
}

export interface Harness {
  client: ObjectSyncClient;
  sockets: FakeSocket[];
  scheduler: ManualScheduler;
  readonly socket: FakeSocket;
}

export function makeClient(
  objectTypes: Record<string, SObjectClass> = {}, options: ObjectSyncClientOptions = {},
): Harness {
  const sockets: FakeSocket[] = [];
  const scheduler = new ManualScheduler();
  const client = new ObjectSyncClient('ws://host.test:8765/', objectTypes, {
    socketFactory: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    scheduler,
    random: () => 0.5,
    logger: silentLogger,
    ...options,
  });
  return {
    client, sockets, scheduler,
    get socket(): FakeSocket {
      const s = sockets[sockets.length - 1];
      if (s === undefined) throw new Error('no socket yet');
      return s;
    },
  };
}

interface HostTopic {
  model: TopicModel;
  info: { type: TopicTypeName; is_stateful: boolean; boundary_value: unknown; order_strict: boolean };
}

export interface AttributeSpec {
  type: TopicTypeName;
  value: unknown;
}

/**
 * A minimal host: topics, subscriptions, actions as all-or-nothing transitions, updates to the
 * one attached client, create_object / destroy_object, services.
 */
export class FakeHost {
  readonly topics = new Map<string, HostTopic>();
  readonly subscriptions = new Set<string>();
  readonly services = new Map<string, (args: Record<string, any>) => unknown>();
  /**
   * Attributes each object type gets on create_object; a `build_kwargs` entry of the same name
   * gives the attribute its first value.
   */
  readonly objectTypes = new Map<string, Record<string, AttributeSpec>>();
  /** Build arguments a type cannot be created without (create_object is refused without them). */
  readonly requiredBuildKwargs = new Map<string, string[]>();
  /** Whether reject carries the action id (an extension; the original did not). */
  rejectWithActionId = true;
  socket: FakeSocket | null = null;
  readonly log: Message[] = [];
  private versionCounter = 0;

  constructor() {
    this.addTopicSilently('_topicsync/topic_list', 'dict', {});
    this.addTopicSilently('_objects', 'dict', { root: 'Root' });
    this.addTopicSilently('create_object', 'event', null);
    this.addTopicSilently('destroy_object', 'event', null);
    this.addTopicSilently('parent_id/root', 'string', '');
    this.addTopicSilently('tags/root', 'set', []);
    this.objectTypes.set('Root', {});
  }

  value(name: string): unknown {
    return this.topic(name).model.value;
  }

  version(name: string): string | undefined {
    return this.topic(name).model.version;
  }

  topic(name: string): HostTopic {
    const t = this.topics.get(name);
    if (t === undefined) throw new Error(`host has no topic ${name}`);
    return t;
  }

  /** Adds a topic before any client connects (no update sent). */
  addTopicSilently(name: string, type: TopicTypeName, value: unknown): void {
    const version = type === 'string' ? this.newVersion() : undefined;
    const model = new TopicModel(type, value as never, version);
    const info = { type, is_stateful: !name.startsWith('tags/'), boundary_value: value, order_strict: true };
    this.topics.set(name, { model, info });
    const list = this.topics.get('_topicsync/topic_list');
    if (list !== undefined) {
      const all = { ...(list.model.value as Record<string, unknown>), [name]: info };
      list.model.reset(all as never);
    } else {
      model.reset({ [name]: info } as never);
    }
  }

  attach(socket: FakeSocket, clientId: number): void {
    this.socket = socket;
    this.subscriptions.clear();
    socket.receive('hello', { id: clientId });
  }

  /** Handles every message the client sent, repeatedly, until it is quiet. */
  pump(): void {
    for (let round = 0; round < 100; round++) {
      const socket = this.socket;
      if (socket === null || socket.closed) return;
      const messages = socket.take();
      if (messages.length === 0) return;
      for (const m of messages) {
        this.log.push(m);
        this.handle(m);
      }
    }
    throw new Error('client keeps talking');
  }

  /** Runs host-side code as one transition and sends the update. */
  transition(build: (apply: (change: Omit<ChangeDict, 'topic_name'> & { topic_name: string }) => void) => void, actionId = ''): void {
    const applied: Array<{ topic: HostTopic; change: ChangeDict; result: ReturnType<TopicModel['apply']> }> = [];
    build((change) => {
      const topic = this.topic(change.topic_name);
      const full = { id: this.newVersion(), ...change } as ChangeDict;
      const result = topic.model.apply(full);
      applied.push({ topic, change: full, result });
    });
    this.broadcast(applied.map((a) => a.result.change), actionId);
  }

  /** Adds a topic with an update on the topic list (as the host does at run time). */
  createTopic(name: string, type: TopicTypeName, value: unknown, apply: (change: any) => void): void {
    const version = type === 'string' ? this.newVersion() : undefined;
    const model = new TopicModel(type, value as never, version);
    const info = { type, is_stateful: !name.startsWith('tags/'), boundary_value: value, order_strict: true };
    this.topics.set(name, { model, info });
    apply({ topic_name: '_topicsync/topic_list', topic_type: 'dict', type: 'add', key: name, value: info });
  }

  removeTopic(name: string, apply: (change: any) => void): void {
    apply({ topic_name: '_topicsync/topic_list', topic_type: 'dict', type: 'pop', key: name });
    this.topics.delete(name);
  }

  /** Builds an object with its topics (inside a transition). */
  buildObject(id: string, type: string, parentId: string, apply: (change: any) => void,
    buildKwargs: Record<string, unknown> = {}): void {
    const attrs = this.objectTypes.get(type) ?? {};
    for (const name of this.requiredBuildKwargs.get(type) ?? []) {
      if (!(name in buildKwargs)) throw new Error(`${type} needs the build argument "${name}"`);
    }
    this.createTopic(`parent_id/${id}`, 'string', parentId, apply);
    this.createTopic(`tags/${id}`, 'set', [], apply);
    for (const [name, spec] of Object.entries(attrs)) {
      const value = name in buildKwargs ? buildKwargs[name] : spec.value;
      this.createTopic(`a/${id}/${name}`, spec.type, value, apply);
    }
    apply({ topic_name: '_objects', topic_type: 'dict', type: 'add', key: id, value: type });
  }

  destroyObjectTree(id: string, apply: (change: any) => void): void {
    for (const [childId] of Object.entries(this.value('_objects') as Record<string, string>)) {
      if (this.topics.has(`parent_id/${childId}`) && this.value(`parent_id/${childId}`) === id) {
        this.destroyObjectTree(childId, apply);
      }
    }
    apply({ topic_name: '_objects', topic_type: 'dict', type: 'pop', key: id });
    for (const name of [...this.topics.keys()]) {
      if (name === `parent_id/${id}` || name === `tags/${id}` || name.startsWith(`a/${id}/`)) this.removeTopic(name, apply);
    }
  }

  private newVersion(): string {
    this.versionCounter += 1;
    return `0_${this.versionCounter}`;
  }

  private send(type: string, args: Record<string, unknown>): void {
    this.socket?.receive(type, args);
  }

  private broadcast(changes: ChangeDict[], actionId: string): void {
    const visible = changes.filter((c) => this.subscriptions.has(c.topic_name as string));
    if (visible.length > 0) this.send('update', { changes: visible, action_id: actionId });
  }

  private handle(m: Message): void {
    switch (m.type) {
      case 'subscribe': {
        const name = m.args['topic_name'] as string;
        const t = this.topics.get(name);
        if (t === undefined) return;
        this.subscriptions.add(name);
        const args: Record<string, unknown> = { topic_name: name, value: t.model.value };
        if (t.info.type === 'string') args['id'] = t.model.version;
        this.send('init', args);
        break;
      }
      case 'unsubscribe':
        this.subscriptions.delete(m.args['topic_name'] as string);
        break;
      case 'action':
        this.handleAction(m.args['commands'] as ChangeDict[], m.args['action_id'] as string);
        break;
      case 'request': {
        // As the host does: a failed request is answered with null and the reason in `error`.
        const name = m.args['service_name'] as string;
        const handler = this.services.get(name);
        let response: unknown = null;
        let error: string | undefined = handler === undefined ? `unknown service "${name}"` : undefined;
        if (handler !== undefined) {
          try {
            response = handler(m.args['args'] as Record<string, any>);
          } catch (e) {
            error = e instanceof Error ? e.message : String(e);
          }
        }
        const args: Record<string, unknown> = { request_id: m.args['request_id'], response };
        if (error !== undefined) args['error'] = error;
        this.send('response', args);
        break;
      }
      default:
        break;
    }
  }

  private handleAction(commands: ChangeDict[], actionId: string): void {
    const done: Array<{ topic: HostTopic; result: ReturnType<TopicModel['apply']> }> = [];
    const out: ChangeDict[] = [];
    const apply = (change: ChangeDict): void => {
      const topic = this.topics.get(change.topic_name as string);
      if (topic === undefined) throw new Error(`unknown topic ${String(change.topic_name)}`);
      const result = topic.model.apply(change);
      done.push({ topic, result });
      const sent = { ...result.change };
      if (change['topic_version'] !== undefined && result.change['topic_version'] !== change['topic_version']) {
        sent.id = `${String(change.id)}_adjust`;
      }
      out.push(sent);
      // host-side listeners
      if (change.topic_name === 'create_object' && change.type === 'emit') {
        const a = change['args'] as { type: string; parent_id: string; id: string; build_kwargs?: Record<string, unknown> };
        this.buildObject(a.id, a.type, a.parent_id, (c: ChangeDict) => apply({ id: this.newVersion(), ...c }), a.build_kwargs);
      } else if (change.topic_name === 'destroy_object' && change.type === 'emit') {
        const a = change['args'] as { id: string };
        this.destroyObjectTree(a.id, (c: ChangeDict) => apply({ id: this.newVersion(), ...c }));
      }
    };
    try {
      for (const command of commands) apply(command);
    } catch (error) {
      for (let i = done.length - 1; i >= 0; i--) {
        const d = done[i]!;
        d.topic.model.rollback(d.result);
      }
      const args: Record<string, unknown> = { reason: String(error) };
      if (this.rejectWithActionId) args['action_id'] = actionId;
      this.send('reject', args);
      return;
    }
    this.broadcast(out, actionId);
  }
}

/** Connects a harness to a host and runs the session start to quiet. */
export function connect(h: Harness, host: FakeHost, clientId = 1): void {
  host.attach(h.socket, clientId);
  host.pump();
}
