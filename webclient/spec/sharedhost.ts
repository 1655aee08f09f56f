/**
 * A small in-memory host shared by several clients, with every message queued in both
 * directions, so that a test decides exactly when the host reads a client's message and when a
 * client receives the host's. String edits are transformed as the host's engine does: a change
 * that had to move gets its id with "_adjust" appended and keeps the result version its client
 * chose.
 */
import { ChangeDict, TopicModel, TopicTypeName } from '../src/index.js';
import { FakeSocket, Harness, Message, makeClient } from './helpers.js';

interface Session {
  readonly harness: Harness;
  readonly socket: FakeSocket;
  readonly subscriptions: Set<string>;
  readonly outbox: Message[];
  readonly inbox: Message[];
}

export interface Page extends Harness {
  readonly session: Session;
}

export class SharedHost {
  private readonly topics = new Map<string, TopicModel>();
  private readonly sessions: Session[] = [];
  private versions = 0;
  private nextClientId = 1;
  /** Every action the host read, in order, with the id of the client that sent it. */
  readonly actions: Array<{ client: number; actionId: string; commands: ChangeDict[] }> = [];

  constructor() {
    this.topics.set('_topicsync/topic_list', new TopicModel('dict', {}));
    this.addTopic('_objects', 'dict', { root: 'Root' });
    this.addTopic('create_object', 'event', null);
    this.addTopic('destroy_object', 'event', null);
  }

  addTopic(name: string, type: TopicTypeName, value: unknown): void {
    this.topics.set(name, new TopicModel(type, value as never, type === 'string' ? this.newVersion() : undefined));
    const list = this.topics.get('_topicsync/topic_list') as TopicModel;
    const info = { type, is_stateful: true, boundary_value: value, order_strict: true };
    list.reset({ ...(list.value as Record<string, never>), [name]: info } as never);
  }

  value(name: string): unknown {
    return this.model(name).value;
  }

  /** A new client: connected, topic list and core topics in sync. */
  join(): Page {
    const harness = makeClient();
    const socket = harness.socket;
    const session: Session = { harness, socket, subscriptions: new Set(), outbox: [], inbox: [] };
    this.sessions.push(session);
    const clientId = this.nextClientId++;
    socket.receive('hello', { id: clientId });
    this.run();
    return {
      client: harness.client, sockets: harness.sockets, scheduler: harness.scheduler, session,
      get socket(): FakeSocket {
        return harness.socket;
      },
    };
  }

  /** Reads the next message a client sent; false if there is none. */
  readNext(page: Page): boolean {
    return this.readFrom(page.session);
  }

  /** Hands the next message for a client to it; false if there is none. */
  deliverNext(page: Page): boolean {
    return this.deliverTo(page.session);
  }

  /** Reads and delivers everything, in turn, until nothing moves. */
  run(): void {
    for (let round = 0; round < 10000; round++) {
      let moved = false;
      for (const session of this.sessions) {
        while (this.readFrom(session)) moved = true;
        while (this.deliverTo(session)) moved = true;
      }
      if (!moved) return;
    }
    throw new Error('the clients and the host keep talking');
  }

  /** A change made on the host by something else than a client (queued for every subscriber). */
  change(change: ChangeDict): void {
    const result = this.model(change.topic_name as string).apply({ id: this.newVersion(), ...change });
    this.broadcast([result.change], '');
  }

  /** Refuses the next action a client sent, without reading it (as if it broke a rule of the host). */
  refuseNext(page: Page, withActionId = true): string {
    this.collect(page.session);
    const index = page.session.inbox.findIndex((m) => m.type === 'action');
    if (index < 0) throw new Error('no action to refuse');
    const [message] = page.session.inbox.splice(index, 1) as [Message];
    const actionId = String(message.args['action_id']);
    const args: Record<string, unknown> = { reason: 'refused by the test' };
    if (withActionId) args['action_id'] = actionId;
    page.session.outbox.push({ type: 'reject', args });
    return actionId;
  }

  private model(name: string): TopicModel {
    const model = this.topics.get(name);
    if (model === undefined) throw new Error(`no topic ${name}`);
    return model;
  }

  private newVersion(): string {
    this.versions += 1;
    return `0_${this.versions}`;
  }

  private readFrom(session: Session): boolean {
    this.collect(session);
    const message = session.inbox.shift();
    if (message === undefined) return false;
    this.handle(session, message);
    return true;
  }

  private deliverTo(session: Session): boolean {
    const message = session.outbox.shift();
    if (message === undefined) return false;
    session.socket.receive(message.type, message.args);
    return true;
  }

  private collect(session: Session): void {
    session.inbox.push(...session.socket.take());
  }

  private broadcast(changes: ChangeDict[], actionId: string): void {
    for (const session of this.sessions) {
      const visible = changes.filter((c) => session.subscriptions.has(c.topic_name as string));
      if (visible.length > 0) session.outbox.push({ type: 'update', args: { changes: visible, action_id: actionId } });
    }
  }

  private handle(session: Session, message: Message): void {
    const args = message.args;
    if (message.type === 'subscribe') {
      const name = args['topic_name'] as string;
      const model = this.topics.get(name);
      if (model === undefined) return;
      session.subscriptions.add(name);
      const init: Record<string, unknown> = { topic_name: name, value: model.value };
      if (model.type === 'string') init['id'] = model.version;
      session.outbox.push({ type: 'init', args: init });
    } else if (message.type === 'unsubscribe') {
      session.subscriptions.delete(args['topic_name'] as string);
    } else if (message.type === 'action') {
      this.handleAction(session, args['commands'] as ChangeDict[], String(args['action_id']));
    }
  }

  private handleAction(session: Session, commands: ChangeDict[], actionId: string): void {
    this.actions.push({ client: this.sessions.indexOf(session) + 1, actionId, commands });
    const done: Array<{ model: TopicModel; result: ReturnType<TopicModel['apply']> }> = [];
    try {
      for (const command of commands) {
        const model = this.model(command.topic_name as string);
        const result = model.apply(command);
        done.push({ model, result });
      }
    } catch (error) {
      for (let i = done.length - 1; i >= 0; i--) done[i]!.model.rollback(done[i]!.result);
      session.outbox.push({ type: 'reject', args: { reason: String(error), action_id: actionId } });
      return;
    }
    const out = done.map(({ result }, i) => {
      const sent = { ...result.change };
      const command = commands[i] as ChangeDict;
      const field = command.type === 'insert' ? 'insertion' : 'deletion';
      const moved = command['topic_version'] !== undefined
        && (command['position'] !== sent['position'] || command[field] !== sent[field]);
      if (moved) sent.id = `${String(command.id)}_adjust`;
      return sent;
    });
    this.broadcast(out, actionId);
  }
}
