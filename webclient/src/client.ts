/**
 * ObjectSyncClient: the connection to an ObjectSync host (PROTOCOL.md), the topic mirror with
 * optimistic changes, the object tree, requests and services, and reconnection.
 */
import { LocalChange, LocalChanges } from './localchanges.js';
import { AppliedChange, ChangeDict, isTopicTypeName, validateValue } from './model.js';
import { Root, SObject, SObjectClass } from './sobject.js';
import { AnyTopic, DictTopic, EventTopic, TOPIC_CLASSES, Topic, TopicClass, TopicHost } from './topics.js';
import { Action, Json, Logger, consoleLogger, deepCopy, deepEqual, hasOwn, isPlainObject } from './util.js';

export type ConnectionState = 'connecting' | 'open' | 'closed';

/** The part of a WebSocket the client uses (a browser WebSocket fits). */
export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event?: any) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event?: any) => void) | null;
  onerror: ((event?: any) => void) | null;
}

export type SocketFactory = (url: string) => SocketLike;

/** Timer functions, injectable for tests. */
export interface Scheduler {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ReconnectOptions {
  /** Reconnect after the connection drops (default true). */
  enabled?: boolean;
  /** Delay before the first retry (default 500 ms). */
  initialDelayMs?: number;
  /** Upper bound of the delay (default 15 s). */
  maxDelayMs?: number;
  /** Growth per failed attempt (default 2). */
  factor?: number;
  /** Fraction of the delay that is random (default 0.5: the delay is between 50% and 100% of the nominal one). */
  jitter?: number;
}

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
}

/** An entry of `_topicsync/topic_list`. */
export interface TopicInfo {
  type: string;
  is_stateful?: boolean;
  boundary_value?: unknown;
  order_strict?: boolean;
}

export type ServiceHandler = (args: Record<string, unknown>) => unknown;

interface Recording {
  actionId: string;
  changes: LocalChange[];
}

interface OutstandingRequest {
  resolve: (value: any) => void;
  reject: (reason: unknown) => void;
}

export const TOPIC_LIST = '_topicsync/topic_list';
export const OBJECTS_TOPIC = '_objects';

function defaultSocketFactory(url: string): SocketLike {
  const ctor = (globalThis as { WebSocket?: new (url: string) => unknown }).WebSocket;
  if (ctor === undefined) throw new Error('ObjectSync: no WebSocket in this environment; pass options.socketFactory');
  return new ctor(url) as SocketLike;
}

const defaultScheduler: Scheduler = {
  setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, delayMs),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

export class ObjectSyncClient implements TopicHost {
  /** Fired with 'connecting', 'open' (session started) or 'closed'. */
  readonly onConnectionStateChanged = new Action<[ConnectionState]>();
  /** Fired when the host refuses an action: (reason, action id if the host named it). */
  readonly onReject = new Action<[string, string | undefined]>();

  /** `_topicsync/topic_list`: topic name -> info. */
  readonly topicList: DictTopic<TopicInfo>;
  /** `_objects`: object id -> frontend_type. */
  readonly objectsTopic: DictTopic<string>;

  private readonly url: string;
  private readonly objectTypes: Readonly<Record<string, SObjectClass>>;
  private readonly socketFactory: SocketFactory;
  private readonly scheduler: Scheduler;
  private readonly random: () => number;
  private readonly logger: Logger;
  private readonly reconnectOptions: Required<ReconnectOptions>;
  private readonly stringHistoryLimit: number;
  private readonly token: string | undefined;

  private socket: SocketLike | null = null;
  private _state: ConnectionState = 'closed';
  private sessionOpen = false;
  private _clientId: string | null = null;
  private counter = 0;
  private stopped = false;
  private attempt = 0;
  private retryHandle: unknown = null;
  private _lastRetryDelay: number | null = null;

  private readonly topics = new Map<string, AnyTopic>();
  private readonly warnedMissingTopics = new Set<string>();
  private readonly local: LocalChanges;
  private recording: Recording | null = null;
  private deferDepth = 0;
  private deferred: Array<() => void> = [];

  private readonly requests = new Map<string, OutstandingRequest>();
  private readonly services = new Map<string, ServiceHandler>();

  private readonly objectsById = new Map<string, SObject>();
  private readonly unstarted = new Set<SObject>();
  private readonly waitingForParent = new Set<SObject>();
  private constructing: Array<AnyTopic> | null = null;

  private readonly createObjectTopic: EventTopic;
  private readonly destroyObjectTopic: EventTopic;

  constructor(url: string, objectTypes: Readonly<Record<string, SObjectClass>> = {}, options: ObjectSyncClientOptions = {}) {
    this.url = url;
    this.objectTypes = objectTypes;
    this.socketFactory = options.socketFactory ?? defaultSocketFactory;
    this.scheduler = options.scheduler ?? defaultScheduler;
    this.random = options.random ?? Math.random;
    this.logger = options.logger ?? consoleLogger;
    this.stringHistoryLimit = options.stringHistoryLimit ?? 1000;
    this.token = options.token;
    this.local = new LocalChanges({
      logger: this.logger,
      sendAction: (actionId, commands) => this.send('action', { commands, action_id: actionId }),
    });
    const r = options.reconnect ?? {};
    this.reconnectOptions = {
      enabled: r.enabled ?? true,
      initialDelayMs: r.initialDelayMs ?? 500,
      maxDelayMs: r.maxDelayMs ?? 15000,
      factor: r.factor ?? 2,
      jitter: Math.min(1, Math.max(0, r.jitter ?? 0.5)),
    };

    this.topicList = this.getTopic(TOPIC_LIST, DictTopic) as DictTopic<TopicInfo>;
    this.topicList.onAdd.add((name) => this.onTopicListed(name));
    this.topicList.onPop.add((name) => this.onTopicUnlisted(name));

    this.objectsTopic = this.getTopic(OBJECTS_TOPIC, DictTopic) as DictTopic<string>;
    this.objectsTopic.onAdd.add((id, type) => this.onObjectListed(id, type));
    this.objectsTopic.onPop.add((id) => this.onObjectUnlisted(id));
    this.objectsTopic.onChangeValue.add((id, type) => {
      this.onObjectUnlisted(id);
      this.onObjectListed(id, type);
    });

    this.createObjectTopic = this.getTopic('create_object', EventTopic) as EventTopic;
    this.destroyObjectTopic = this.getTopic('destroy_object', EventTopic) as EventTopic;

    if (options.autoConnect ?? true) this.connect();
  }

  // ---------------------------------------------------------------- public API

  get connectionState(): ConnectionState {
    return this._state;
  }

  /** The id the host gave this client in the current session (null before the first `hello`). */
  get clientId(): string | null {
    return this._clientId;
  }

  /** Number of failed connection attempts since the last successful session. */
  get reconnectAttempt(): number {
    return this.attempt;
  }

  /** The delay chosen for the latest scheduled retry, in ms (null if none). */
  get lastRetryDelayMs(): number | null {
    return this._lastRetryDelay;
  }

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

  /** Opens the connection (done by the constructor unless autoConnect is false). */
  connect(): void {
    this.stopped = false;
    if (this.socket !== null) return;
    if (this.retryHandle !== null) {
      this.scheduler.clearTimeout(this.retryHandle);
      this.retryHandle = null;
    }
    this.setState('connecting');
    let socket: SocketLike;
    try {
      socket = this.socketFactory(this.url);
    } catch (error) {
      this.logger.warn('ObjectSync: could not open a connection', error);
      this.afterDisconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      // The token goes first: the host handles nothing before it.
      if (this.socket === socket && this.token !== undefined && this.token !== '') {
        this.send('hello', { token: this.token });
      }
    };
    socket.onmessage = (event) => {
      if (this.socket === socket) this.handleRaw(event.data);
    };
    socket.onerror = (event) => {
      if (this.socket === socket) this.logger.debug('ObjectSync: socket error', event);
    };
    socket.onclose = () => {
      if (this.socket === socket) this.handleDisconnect();
    };
  }

  /** Closes the connection for good (no reconnection). */
  close(): void {
    this.stopped = true;
    if (this.retryHandle !== null) {
      this.scheduler.clearTimeout(this.retryHandle);
      this.retryHandle = null;
    }
    const socket = this.socket;
    if (socket !== null) {
      this.handleDisconnect();
      try {
        socket.close();
      } catch (error) {
        this.logger.debug('ObjectSync: error while closing', error);
      }
    }
    this.setState('closed');
  }

  /**
   * The topic of that name, subscribing to it if needed. Without a class, the type comes from
   * the topic list (which must already know the topic).
   */
  getTopic<T extends Topic<any>>(name: string, topicType: TopicClass<T>): T;
  getTopic(name: string): Topic<unknown>;
  getTopic(name: string, topicType?: TopicClass): AnyTopic {
    const existing = this.topics.get(name);
    if (existing !== undefined) {
      if (topicType !== undefined && !(existing instanceof topicType)) {
        throw new Error(`ObjectSync: topic "${name}" is a ${(existing as object).constructor.name}, not a ${topicType.name}`);
      }
      return existing;
    }
    let cls = topicType;
    const info = this.topicList === undefined ? undefined : this.topicList.get(name);
    if (cls === undefined) {
      if (info === undefined || !isTopicTypeName(info.type)) {
        throw new Error(`ObjectSync: topic "${name}" is not in the topic list; pass a topic class`);
      }
      cls = TOPIC_CLASSES[info.type];
    } else if (info !== undefined && info.type !== cls.typeName) {
      this.logger.warn(`ObjectSync: topic "${name}" is a ${info.type} topic on the host, used as ${cls.typeName}`);
    }
    const topic = new cls(name, this) as AnyTopic;
    topic._model.maxHistory = this.stringHistoryLimit;
    this.topics.set(name, topic);
    this.maybeSubscribe(topic);
    return topic;
  }

  /** Stops receiving a topic; the topic object cannot be used anymore. */
  unsubscribe(topic: AnyTopic | string): void {
    const t = typeof topic === 'string' ? this.topics.get(topic) : topic;
    if (t === undefined || this.topics.get(t.name) !== t) return;
    this.topics.delete(t.name);
    if (t._subscribed && this.sessionOpen) this.send('unsubscribe', { topic_name: t.name });
    t._subscribed = false;
    t._synced = false;
    t._detached = true;
    this.local.forgetEditsOf(t.name);
  }

  /**
   * Runs `fn` and sends every change it makes (and the changes listeners make in reaction) as
   * one action. If `fn` throws, its changes are rolled back and nothing is sent.
   */
  record(fn: () => void): void {
    if (this.recording !== null) {
      fn();
      return;
    }
    if (this.deferDepth > 0) {
      this.deferred.push(() => this.record(fn));
      return;
    }
    const rec: Recording = { actionId: this.newId(), changes: [] };
    this.recording = rec;
    try {
      fn();
    } catch (error) {
      this.recording = null;
      this.withDeferral(() => this.local.discard(rec.changes));
      throw error;
    }
    this.recording = null;
    if (rec.changes.length > 0) this.local.submit(rec.actionId, rec.changes);
  }

  /** Calls a host service; resolves with its response. Rejects if not connected or the connection drops. */
  makeRequest<R = unknown>(serviceName: string, args: Record<string, unknown> = {}): Promise<R> {
    if (!this.sessionOpen) {
      return Promise.reject(new Error(`ObjectSync: cannot call "${serviceName}": not connected`));
    }
    const requestId = this.newId();
    return new Promise<R>((resolve, reject) => {
      this.requests.set(requestId, { resolve, reject });
      this.send('request', { service_name: serviceName, args, request_id: requestId });
    });
  }

  /** Registers a service the host can call; the handler's result (or promise) is the response. */
  registerService(name: string, handler: ServiceHandler): () => void {
    this.services.set(name, handler);
    return () => {
      if (this.services.get(name) === handler) this.services.delete(name);
    };
  }

  /** Undoes the latest transition in the history of an object (default: the root). */
  undo(objectId = 'root'): Promise<unknown> {
    return this.makeRequest('undo', { id: objectId });
  }

  /** Redoes the latest undone transition in the history of an object (default: the root). */
  redo(objectId = 'root'): Promise<unknown> {
    return this.makeRequest('redo', { id: objectId });
  }

  /**
   * Asks the host to create an object of a registered type under `parentId`; returns its id
   * (`<client id>_<counter>` unless given). The object appears when the host lists it in `_objects`.
   */
  createObject(typeName: string, parentId = 'root', id?: string): string {
    if (!this.sessionOpen) throw new Error('ObjectSync: cannot create an object: not connected');
    const objectId = id ?? this.newId();
    this.createObjectTopic.emit({ type: typeName, parent_id: parentId, id: objectId });
    return objectId;
  }

  /** Asks the host to destroy an object and its subtree. */
  destroyObject(id: string): void {
    this.destroyObjectTopic.emit({ id });
  }

  getObject(id: string): SObject | undefined {
    return this.objectsById.get(id);
  }

  get root(): SObject | undefined {
    return this.objectsById.get('root');
  }

  /** All objects currently known (started or not). */
  get objects(): ReadonlyMap<string, SObject> {
    return this.objectsById;
  }

  /** A fresh id, unique for this client: `<client id>_<counter>`. */
  newId(): string {
    this.counter += 1;
    return `${this._clientId ?? 'local'}_${this.counter}`;
  }

  // ---------------------------------------------------------------- for topics and objects

  /** @internal */
  _submitLocal(topic: AnyTopic, partial: { type: string; [field: string]: unknown }): void {
    if (this.deferDepth > 0) {
      this.deferred.push(() => this._submitLocal(topic, partial));
      return;
    }
    if (topic._detached || this.topics.get(topic.name) !== topic) {
      throw new Error(`ObjectSync: topic "${topic.name}" was released and cannot be changed`);
    }
    if (!this.sessionOpen) {
      throw new Error(`ObjectSync: cannot change "${topic.name}": not connected`);
    }
    if (!topic._synced) {
      throw new Error(`ObjectSync: cannot change "${topic.name}": its value has not arrived yet`);
    }
    this.record(() => {
      const rec = this.recording as Recording;
      const change: ChangeDict = {
        topic_name: topic.name, topic_type: topic.typeName, ...partial, id: this.newId(),
      };
      if (topic.typeName === 'string') {
        if (partial.type === 'insert' || partial.type === 'delete') {
          change['topic_version'] = topic._model.version;
          change['result_topic_version'] = this.newId();
        } else if (partial.type === 'set') {
          change['result_topic_version'] = change.id;
        }
      }
      const applied = topic._model.apply(change);
      const wire: ChangeDict = deepCopy(change);
      if (hasOwn(applied.change, 'old_value')) wire['old_value'] = applied.change['old_value'];
      rec.changes.push({ actionId: rec.actionId, topic, command: wire, change: applied.change, applied });
      topic._notifyApplied(applied);
    });
  }

  /** @internal Gets a topic that belongs to an object (released when the object is destroyed). */
  _ownTopic<T extends AnyTopic>(owner: SObject, name: string, topicType?: TopicClass<T>): T {
    if (owner._destroyed) throw new Error(`ObjectSync: object "${owner.id}" was destroyed`);
    const topic = (topicType === undefined ? this.getTopic(name) : this.getTopic(name, topicType)) as T;
    if (!owner._topics.includes(topic)) {
      owner._topics.push(topic);
      this.constructing?.push(topic);
    }
    return topic;
  }

  /** @internal */
  _onParentIdChanged(obj: SObject, oldId: string, newId: string): void {
    if (!obj._started || obj._destroyed || oldId === newId) return;
    obj._parent?._children.delete(obj);
    obj._parent = null;
    this.waitingForParent.delete(obj);
    if (newId === '') {
      this.callHook(() => obj.onParentChangedTo(null));
      return;
    }
    const parent = this.objectsById.get(newId);
    if (parent !== undefined && parent._started) {
      obj._parent = parent;
      parent._children.add(obj);
      this.callHook(() => obj.onParentChangedTo(parent));
    } else {
      this.waitingForParent.add(obj);
    }
  }

  // ---------------------------------------------------------------- connection

  private setState(state: ConnectionState): void {
    if (this._state === state) return;
    this._state = state;
    this.onConnectionStateChanged.invoke(state);
  }

  private send(type: string, args: Record<string, unknown>): void {
    const socket = this.socket;
    if (socket === null) return;
    try {
      socket.send(JSON.stringify({ type, args }));
    } catch (error) {
      this.logger.warn('ObjectSync: send failed', error);
    }
  }

  private handleDisconnect(): void {
    this.socket = null;
    this.sessionOpen = false;
    for (const topic of this.topics.values()) {
      topic._subscribed = false;
      topic._synced = false;
    }
    // Pending changes are rolled back, not resent: the new session starts from the host's state.
    this.withDeferral(() => this.local.reset());
    const requests = [...this.requests.values()];
    this.requests.clear();
    for (const r of requests) r.reject(new Error('ObjectSync: connection lost'));
    this.afterDisconnect();
  }

  private afterDisconnect(): void {
    this.socket = null;
    this.setState('closed');
    if (this.stopped || !this.reconnectOptions.enabled) return;
    const o = this.reconnectOptions;
    const nominal = Math.min(o.maxDelayMs, o.initialDelayMs * Math.pow(o.factor, this.attempt));
    const delay = nominal * (1 - o.jitter + o.jitter * this.random());
    this.attempt += 1;
    this._lastRetryDelay = delay;
    this.retryHandle = this.scheduler.setTimeout(() => {
      this.retryHandle = null;
      if (!this.stopped) this.connect();
    }, delay);
  }

  private handleRaw(data: unknown): void {
    if (typeof data !== 'string') {
      this.logger.warn('ObjectSync: ignoring a non-text frame');
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      this.logger.warn('ObjectSync: ignoring a frame that is not JSON');
      return;
    }
    if (!isPlainObject(message) || typeof message['type'] !== 'string') {
      this.logger.warn('ObjectSync: ignoring a message without type');
      return;
    }
    const args = isPlainObject(message['args']) ? message['args'] : {};
    this.withDeferral(() => {
      this.handleMessage(message['type'] as string, args);
      this.tryStartObjects();
    });
  }

  private handleMessage(type: string, args: Record<string, unknown>): void {
    switch (type) {
      case 'hello':
        this.onHello(args);
        break;
      case 'init':
        this.onInit(args);
        break;
      case 'update':
        this.onUpdate(args);
        break;
      case 'reject':
        this.onRejectMessage(args);
        break;
      case 'request':
        this.onServerRequest(args);
        break;
      case 'response':
        this.onResponse(args);
        break;
      default:
        this.logger.debug(`ObjectSync: ignoring message type "${type}"`);
    }
  }

  private onHello(args: Record<string, unknown>): void {
    const id = args['id'];
    this._clientId = typeof id === 'string' ? id : String(id);
    this.sessionOpen = true;
    this.attempt = 0;
    this.local.reset();
    for (const topic of this.topics.values()) {
      topic._subscribed = false;
      topic._synced = false;
    }
    this.setState('open');
    this.maybeSubscribe(this.topicList);
  }

  private onInit(args: Record<string, unknown>): void {
    const name = args['topic_name'];
    if (typeof name !== 'string') return;
    const topic = this.topics.get(name);
    if (topic === undefined || topic._detached) return;
    if (this.local.hasChangesOn(topic)) this.local.dropAll();
    let value = (args['value'] ?? null) as Json;
    if (topic.typeName !== 'event') {
      try {
        validateValue(topic.typeName, value);
      } catch (error) {
        this.logger.warn(`ObjectSync: init of "${name}" has an unexpected value`, error);
        if (value === null) value = topic._model.value;
      }
    } else {
      value = null;
    }
    const rawVersion = args['id'];
    const version = topic.typeName === 'string' && rawVersion !== undefined && rawVersion !== null
      ? String(rawVersion) : undefined;
    const oldValue = topic._model.value;
    const firstTime = !topic._everReady;
    topic._model.reset(value, version);
    topic._synced = true;
    topic._everReady = true;
    topic._subscribed = true;
    if (topic.typeName !== 'event' && (firstTime || !deepEqual(oldValue, value))) {
      topic._notifyReset(oldValue, value);
    }
    if (topic === this.topicList) this.subscribeWanted();
  }

  private onUpdate(args: Record<string, unknown>): void {
    const changes = args['changes'];
    if (!Array.isArray(changes)) return;
    const rawActionId = args['action_id'];
    const actionId = rawActionId === undefined || rawActionId === null ? '' : String(rawActionId);
    this.local.answering(actionId);
    for (const change of changes) this.onHostChange(change, actionId);
    this.local.settle(actionId);
    this.local.flushHeld();
    this.reportDroppedActions();
  }

  private onHostChange(change: unknown, actionId: string): void {
    if (!isPlainObject(change)) {
      this.logger.warn('ObjectSync: ignoring a change that is not an object');
      return;
    }
    if (this.local.confirm(change, actionId)) return;
    // The host committed this before our pending changes: they make way for it (localchanges.ts).
    const name = change['topic_name'];
    let topic = typeof name === 'string' ? this.topics.get(name) : undefined;
    if (topic !== undefined && (!topic._synced || (topic.typeName === 'event' && change['type'] === 'reversed_emit'))) {
      topic = undefined;
    }
    let failed = false;
    this.local.hostChange(change, topic, () => {
      if (topic === undefined) return null;
      let applied: AppliedChange;
      try {
        applied = topic._model.apply(change);
      } catch (error) {
        this.logger.error(`ObjectSync: cannot apply the host's change to "${topic.name}"; resynchronizing it`, error);
        failed = true;
        return null;
      }
      topic._notifyApplied(applied);
      return applied;
    });
    if (failed && topic !== undefined) this.resync(topic);
  }

  private resync(topic: AnyTopic): void {
    this.local.dropAll();
    topic._synced = false;
    if (this.sessionOpen && topic._subscribed) {
      this.send('unsubscribe', { topic_name: topic.name });
      this.send('subscribe', { topic_name: topic.name });
    }
  }

  private onRejectMessage(args: Record<string, unknown>): void {
    const reason = typeof args['reason'] === 'string' ? args['reason'] : String(args['reason'] ?? '');
    const rawId = args['action_id'];
    const actionId = typeof rawId === 'string' ? rawId : undefined;
    this.local.reject(actionId);
    this.local.flushHeld();
    this.logger.warn(`ObjectSync: the host refused an action: ${reason}`);
    this.onReject.invoke(reason, actionId);
    this.reportDroppedActions();
  }

  /** Held actions that no longer applied after the host's changes are reported as refused. */
  private reportDroppedActions(): void {
    for (const { actionId, reason } of this.local.takeDropped()) {
      this.logger.warn(`ObjectSync: an action was dropped before it was sent: ${reason}`);
      this.onReject.invoke(reason, actionId);
    }
  }

  private onServerRequest(args: Record<string, unknown>): void {
    const serviceName = args['service_name'];
    const requestId = args['request_id'];
    const callArgs = isPlainObject(args['args']) ? args['args'] : {};
    const handler = typeof serviceName === 'string' ? this.services.get(serviceName) : undefined;
    const socket = this.socket;
    const reply = (response: unknown): void => {
      if (this.socket !== socket) return;
      this.send('response', { request_id: requestId, response: response === undefined ? null : response });
    };
    if (handler === undefined) {
      this.logger.warn(`ObjectSync: the host called an unknown service ${JSON.stringify(serviceName)}`);
      reply(null);
      return;
    }
    let result: unknown;
    try {
      result = handler(callArgs);
    } catch (error) {
      this.logger.error(`ObjectSync: service "${String(serviceName)}" failed`, error);
      reply(null);
      return;
    }
    if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
      (result as Promise<unknown>).then(reply, (error: unknown) => {
        this.logger.error(`ObjectSync: service "${String(serviceName)}" failed`, error);
        reply(null);
      });
    } else {
      reply(result);
    }
  }

  private onResponse(args: Record<string, unknown>): void {
    const id = String(args['request_id']);
    const request = this.requests.get(id);
    if (request === undefined) return;
    this.requests.delete(id);
    request.resolve(args['response']);
  }

  // ---------------------------------------------------------------- topics

  private maybeSubscribe(topic: AnyTopic): void {
    if (!this.sessionOpen || topic._subscribed || topic._detached) return;
    if (topic !== this.topicList) {
      if (!this.topicList._synced) return;
      if (!this.topicList.has(topic.name)) {
        if (!this.warnedMissingTopics.has(topic.name)) {
          this.warnedMissingTopics.add(topic.name);
          this.logger.debug(`ObjectSync: topic "${topic.name}" is not on the host yet; waiting for it`);
        }
        return;
      }
    }
    topic._subscribed = true;
    this.send('subscribe', { topic_name: topic.name });
  }

  private subscribeWanted(): void {
    for (const topic of [...this.topics.values()]) this.maybeSubscribe(topic);
  }

  private onTopicListed(name: string): void {
    const topic = this.topics.get(name);
    if (topic !== undefined) this.maybeSubscribe(topic);
  }

  private onTopicUnlisted(name: string): void {
    const topic = this.topics.get(name);
    if (topic === undefined || topic === this.topicList) return;
    topic._subscribed = false;
    topic._synced = false;
  }

  // ---------------------------------------------------------------- optimistic changes

  /**
   * Runs `fn` while changes made by listeners are postponed; they run (as their own actions)
   * right after the outermost such block, on the state the host's message left.
   */
  private withDeferral(fn: () => void): void {
    this.deferDepth += 1;
    try {
      fn();
    } finally {
      this.deferDepth -= 1;
    }
    if (this.deferDepth === 0) this.flushDeferred();
  }

  private flushDeferred(): void {
    while (this.deferred.length > 0 && this.deferDepth === 0) {
      const task = this.deferred.shift() as () => void;
      try {
        task();
      } catch (error) {
        this.logger.error('ObjectSync: a change made by a listener failed', error);
      }
    }
  }

  // ---------------------------------------------------------------- objects

  private onObjectListed(id: string, type: string): void {
    const existing = this.objectsById.get(id);
    if (existing !== undefined) return;
    let cls = this.objectTypes[type];
    if (cls === undefined) {
      if (type === 'Root') cls = Root;
      else {
        this.logger.warn(`ObjectSync: no class registered for frontend_type "${type}"; using SObject`);
        cls = SObject;
      }
    }
    const outer = this.constructing;
    const owned: Array<AnyTopic> = [];
    this.constructing = owned;
    let obj: SObject;
    try {
      obj = new cls(this, id);
    } catch (error) {
      this.logger.error(`ObjectSync: constructing object "${id}" (${type}) failed`, error);
      for (const t of owned) this.unsubscribe(t);
      return;
    } finally {
      this.constructing = outer;
    }
    this.objectsById.set(id, obj);
    this.unstarted.add(obj);
    this.tryStartObjects();
  }

  private onObjectUnlisted(id: string): void {
    const obj = this.objectsById.get(id);
    if (obj !== undefined) this.destroyTree(obj);
  }

  private destroyTree(obj: SObject): void {
    if (obj._destroyed) return;
    for (const child of [...obj._children]) this.destroyTree(child);
    obj._destroyed = true;
    if (obj._started) this.callHook(() => obj.onDestroy());
    for (const remove of obj._removers.splice(0)) this.callHook(remove);
    obj._parent?._children.delete(obj);
    obj._parent = null;
    for (const topic of obj._topics) this.unsubscribe(topic);
    this.objectsById.delete(obj.id);
    this.unstarted.delete(obj);
    this.waitingForParent.delete(obj);
  }

  private canStart(obj: SObject): boolean {
    if (!obj._topics.every((t) => t._everReady)) return false;
    const parentId = obj._parentIdTopic.getValue();
    if (parentId === '') return true;
    const parent = this.objectsById.get(parentId);
    return parent !== undefined && parent._started;
  }

  private tryStartObjects(): void {
    let progress = true;
    while (progress) {
      progress = false;
      for (const obj of this.unstarted) {
        if (!this.canStart(obj)) continue;
        this.unstarted.delete(obj);
        this.startObject(obj);
        progress = true;
      }
    }
  }

  private startObject(obj: SObject): void {
    const parentId = obj._parentIdTopic.getValue();
    const parent = parentId === '' ? null : this.objectsById.get(parentId) ?? null;
    obj._parent = parent;
    parent?._children.add(obj);
    obj._started = true;
    this.callHook(() => obj.onStart());
    for (const waiting of [...this.waitingForParent]) {
      if (waiting._parentIdTopic.getValue() === obj.id && !waiting._destroyed) {
        this.waitingForParent.delete(waiting);
        waiting._parent = obj;
        obj._children.add(waiting);
        this.callHook(() => waiting.onParentChangedTo(obj));
      }
    }
  }

  private callHook(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.logger.error('ObjectSync: an object hook threw', error);
    }
  }
}
