/**
 * ObjectSyncClient: the public face of the web client. It composes the parts that do the work
 * and dispatches the host's messages to them:
 * - connection.ts: the WebSocket, the session (`hello`) and reconnection;
 * - topicregistry.ts: the topics in use and their subscriptions;
 * - objecttree.ts: the objects of `_objects` and their tree;
 * - changeflow.ts (with localchanges.ts): local changes, the host's updates and rejects;
 * - requests.ts: service calls both ways.
 */
import { ChangeFlow } from './changeflow.js';
import { Connection, ConnectionState, ReconnectOptions, Scheduler, SocketFactory, defaultScheduler } from './connection.js';
import { LocalChanges } from './localchanges.js';
import { ObjectTree } from './objecttree.js';
import { Requests, ServiceHandler } from './requests.js';
import { ObjectHost, SObject } from './sobject.js';
import { TopicInfo, TopicRegistry } from './topicregistry.js';
import { AnyTopic, DictTopic, Topic, TopicClass, TopicHost } from './topics.js';
import { Action, Logger, consoleLogger, isPlainObject } from './util.js';

/** An SObject subclass, registered for a frontend_type: the client constructs it. */
export type SObjectClass<T extends SObject = SObject> = new (client: ObjectSyncClient, id: string) => T;

export interface ObjectSyncClientOptions {
  socketFactory?: SocketFactory;
  scheduler?: Scheduler;
  /** Random numbers in [0, 1) for the jitter (default Math.random). */
  random?: () => number;
  reconnect?: ReconnectOptions;
  /** Connect in the constructor (default true); otherwise call connect(). */
  autoConnect?: boolean;
  logger?: Logger;
  /** How many string changes each string topic remembers for transforming late edits (default 1000). */
  stringHistoryLimit?: number;
  /**
   * A token for a host whose access policy asks for one: sent as the first message of every
   * connection (`hello {"token": ...}`). A token in the URL (`?token=...`) works too, but may end
   * up in logs.
   */
  token?: string;
  /**
   * How long an object may wait for a topic the host does not have (a misspelt attribute, say)
   * before a warning names the object and the topic (default 2000 ms; Infinity: no warning).
   */
  missingTopicWarningMs?: number;
}

export class ObjectSyncClient implements TopicHost, ObjectHost {
  /** Fired with 'connecting', 'open' (session started) or 'closed'. */
  readonly onConnectionStateChanged: Action<[ConnectionState]>;
  /** Fired when the host refuses an action: (reason, action id if the host named it). */
  readonly onReject: Action<[string, string | undefined]>;

  /** `_topicsync/topic_list`: topic name -> info. */
  readonly topicList: DictTopic<TopicInfo>;
  /** `_objects`: object id -> frontend_type. */
  readonly objectsTopic: DictTopic<string>;

  private readonly logger: Logger;
  private readonly connection: Connection;
  private readonly local: LocalChanges;
  private readonly topics: TopicRegistry;
  private readonly changes: ChangeFlow;
  private readonly tree: ObjectTree<ObjectSyncClient>;
  private readonly requests: Requests;
  private counter = 0;
  /** The Promises of ready() still waiting. */
  private readyWaiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  /** close() was called (and connect() not since). */
  private closedForGood = false;

  constructor(url: string, objectTypes: Readonly<Record<string, SObjectClass>> = {}, options: ObjectSyncClientOptions = {}) {
    const logger = options.logger ?? consoleLogger;
    this.logger = logger;
    this.connection = new Connection(url, options, logger, {
      receive: (type, args) => this.receive(type, args),
      sessionEnded: () => this.onSessionEnded(),
    });
    this.local = new LocalChanges({
      logger,
      sendAction: (actionId, commands) => this.connection.send('action', { commands, action_id: actionId }),
    });
    const newId = (): string => this.newId();
    // The topics are created in the order they are subscribed to: the topic list, then the
    // object tree's topics.
    this.topics = new TopicRegistry({
      host: this, connection: this.connection, local: this.local, logger,
      stringHistoryLimit: options.stringHistoryLimit ?? 1000,
      scheduler: options.scheduler ?? defaultScheduler,
      missingTopicDelayMs: options.missingTopicWarningMs ?? 2000,
      missingTopic: (topic) => this.warnMissingTopic(topic),
    });
    this.changes = new ChangeFlow({ connection: this.connection, topics: this.topics, local: this.local, logger, newId });
    this.tree = new ObjectTree<ObjectSyncClient>(this, this.topics, objectTypes, logger);
    this.requests = new Requests(this.connection, newId, logger);

    this.onConnectionStateChanged = this.connection.onStateChanged;
    this.onReject = this.changes.onReject;
    this.topicList = this.topics.topicList;
    this.objectsTopic = this.tree.objectsTopic;

    if (options.autoConnect ?? true) this.connect();
  }

  // ---------------------------------------------------------------- connection

  get connectionState(): ConnectionState {
    return this.connection.state;
  }

  /** The id the host gave this client in the current session (null before the first `hello`). */
  get clientId(): string | null {
    return this.connection.clientId;
  }

  /** Number of failed connection attempts since the last successful session. */
  get reconnectAttempt(): number {
    return this.connection.reconnectAttempt;
  }

  /** The delay chosen for the latest scheduled retry, in ms (null if none). */
  get lastRetryDelayMs(): number | null {
    return this.connection.lastRetryDelayMs;
  }

  /** Opens the connection (done by the constructor unless autoConnect is false). */
  connect(): void {
    this.closedForGood = false;
    this.connection.connect();
  }

  /** Closes the connection for good (no reconnection); the Promises of ready() still waiting reject. */
  close(): void {
    this.closedForGood = true;
    this.connection.close();
    this.topics.cancelTimers();
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w.reject(new Error('ObjectSync: the client was closed before it was ready'));
  }

  /**
   * True while connected with the object tree received: `_objects` has its value in this
   * session and every attribute the objects asked for has arrived (except those the host does
   * not have), so the objects that can start have started.
   */
  get isReady(): boolean {
    return this.connection.sessionOpen && this.objectsTopic.isSynced
      && this.tree.topicsArrived((name) => this.topicList.has(name));
  }

  /**
   * Resolves once the client is ready (see isReady): at once if it is, otherwise when the
   * connection is open and the object tree has arrived (after a reconnection too). Rejects if
   * close() is called first.
   */
  ready(): Promise<void> {
    if (this.isReady) return Promise.resolve();
    if (this.closedForGood) return Promise.reject(new Error('ObjectSync: the client is closed'));
    return new Promise<void>((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  // ---------------------------------------------------------------- topics and changes

  /** Number of local changes not yet confirmed by the host (sent or held). */
  get pendingChangeCount(): number {
    return this.local.count;
  }

  /**
   * Number of local changes not sent yet: held until the host answers this client's earlier
   * edit of the same text (they are applied locally and counted in pendingChangeCount too).
   */
  get heldChangeCount(): number {
    return this.local.heldCount;
  }

  /**
   * The topic of that name, subscribing to it if needed. Without a class, the type comes from
   * the topic list (which must already know the topic).
   */
  getTopic<T extends Topic<any>>(name: string, topicType: TopicClass<T>): T;
  getTopic(name: string): Topic<unknown>;
  getTopic(name: string, topicType?: TopicClass): AnyTopic {
    return this.topics.getTopic(name, topicType);
  }

  /** Stops receiving a topic; the topic object cannot be used anymore. */
  unsubscribe(topic: AnyTopic | string): void {
    this.topics.unsubscribe(topic);
    this.settleReadyWaiters();
  }

  /**
   * Runs `fn` and sends every change it makes (and the changes listeners make in reaction) as
   * one action. If `fn` throws, its changes are rolled back and nothing is sent.
   */
  record(fn: () => void): void {
    this.changes.record(fn);
  }

  // ---------------------------------------------------------------- services

  /**
   * Calls a host service; resolves with its response. Rejects with a RequestError whose message
   * is the host's reason when the service is unknown or fails, and when not connected or the
   * connection drops before the answer.
   */
  makeRequest<R = unknown>(serviceName: string, args: Record<string, unknown> = {}): Promise<R> {
    return this.requests.makeRequest<R>(serviceName, args);
  }

  /** Registers a service the host can call; the handler's result (or promise) is the response. */
  registerService(name: string, handler: ServiceHandler): () => void {
    return this.requests.registerService(name, handler);
  }

  /**
   * Undoes the latest transition in the history of an object (default: the root). Rejects with a
   * RequestError when the host refuses (for example `nothing to undo`).
   */
  undo(objectId = 'root'): Promise<unknown> {
    return this.makeRequest('undo', { id: objectId });
  }

  /** Redoes the latest undone transition in the history of an object (default: the root); rejects like undo. */
  redo(objectId = 'root'): Promise<unknown> {
    return this.makeRequest('redo', { id: objectId });
  }

  // ---------------------------------------------------------------- objects

  /**
   * Asks the host to create an object of a registered type under `parentId`; returns its id
   * (`<client id>_<counter>` unless given). `buildKwargs` are the type's build arguments (sent as
   * `build_kwargs`, for example `{ title: 'Write the docs' }` for a card that needs a title). The
   * object appears when the host lists it in `_objects`; a refusal comes through `onReject`.
   */
  createObject(typeName: string, parentId = 'root', buildKwargs?: Record<string, unknown>, id?: string): string {
    if (!this.connection.sessionOpen) throw new Error('ObjectSync: cannot create an object: not connected');
    if (buildKwargs !== undefined && !isPlainObject(buildKwargs)) {
      throw new TypeError('ObjectSync: createObject(type, parentId, buildKwargs, id): buildKwargs must be a plain object'
        + (typeof buildKwargs === 'string' ? ' (the id is the fourth argument)' : ''));
    }
    const objectId = id ?? this.newId();
    this.tree.requestCreate(typeName, parentId, objectId, buildKwargs);
    return objectId;
  }

  /** Asks the host to destroy an object and its subtree. */
  destroyObject(id: string): void {
    this.tree.requestDestroy(id);
  }

  getObject(id: string): SObject | undefined {
    return this.tree.get(id);
  }

  get root(): SObject | undefined {
    return this.tree.get('root');
  }

  /** All objects currently known (started or not). */
  get objects(): ReadonlyMap<string, SObject> {
    return this.tree.all;
  }

  /** A fresh id, unique for this client: `<client id>_<counter>`. */
  newId(): string {
    this.counter += 1;
    return `${this.connection.clientId ?? 'local'}_${this.counter}`;
  }

  // ---------------------------------------------------------------- for topics and objects

  /** @internal */
  _submitLocal(topic: AnyTopic, partial: { type: string; [field: string]: unknown }): void {
    this.changes.submit(topic, partial);
  }

  /** @internal Gets a topic that belongs to an object (released when the object is destroyed). */
  _ownTopic<T extends AnyTopic>(owner: SObject, name: string, topicType?: TopicClass<T>): T {
    return this.tree.ownTopic(owner, name, topicType);
  }

  /** @internal */
  _onParentIdChanged(obj: SObject, oldId: string, newId: string): void {
    this.tree.parentIdChanged(obj, oldId, newId);
  }

  // ---------------------------------------------------------------- the host's messages

  private receive(type: string, args: Record<string, unknown>): void {
    // Changes listeners make while a message is applied run right after it, as their own actions.
    this.changes.withDeferral(() => {
      this.dispatch(type, args);
      this.tree.startReadyObjects();
    });
    this.settleReadyWaiters();
  }

  private settleReadyWaiters(): void {
    if (this.readyWaiters.length === 0 || !this.isReady) return;
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w.resolve();
  }

  /** An object has waited too long for a topic the host does not have: say so, once. */
  private warnMissingTopic(topic: AnyTopic): void {
    const owner = this.tree.ownerOf(topic);
    if (owner === undefined || owner.isDestroyed) return;
    const type = this.objectsTopic.get(owner.id) ?? owner.constructor.name;
    const effect = owner.isStarted ? 'the topic gets no value' : 'the object does not start';
    this.logger.warn(`ObjectSync: object "${owner.id}" (${type}) waits for topic "${topic.name}", which the host `
      + `does not have (a misspelt attribute name?); ${effect} until the host adds it`);
  }

  private dispatch(type: string, args: Record<string, unknown>): void {
    switch (type) {
      case 'hello':
        this.onHello(args);
        break;
      case 'init':
        this.topics.applyInit(args);
        break;
      case 'update':
        this.changes.applyUpdate(args);
        break;
      case 'reject':
        this.changes.applyReject(args);
        break;
      case 'request':
        this.requests.handleRequest(args);
        break;
      case 'response':
        this.requests.handleResponse(args);
        break;
      default:
        this.logger.debug(`ObjectSync: ignoring message type "${type}"`);
    }
  }

  private onHello(args: Record<string, unknown>): void {
    this.connection.openSession(args['id'], () => {
      this.local.reset();
      this.topics.resetSession();
    });
    this.topics.subscribeTopicList();
  }

  private onSessionEnded(): void {
    this.topics.resetSession();
    // Pending changes are rolled back, not resent: the new session starts from the host's state.
    this.changes.withDeferral(() => this.local.reset());
    this.requests.rejectOutstanding();
  }
}
