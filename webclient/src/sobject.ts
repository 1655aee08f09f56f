/**
 * SObject: the client-side face of one synchronized object. Subclass it per frontend_type and
 * pass the classes to the client; the client creates and destroys instances as the host's
 * `_objects` dict changes.
 */
import { AnyTopic, EventTopic, SetTopic, StringTopic, Topic, TopicClass } from './topics.js';

/**
 * What an object needs from the client that owns it: ObjectSyncClient implements it, and an
 * object's `client` is its ObjectSyncClient. Besides what SObject itself calls, it lists the
 * client members an object's own code commonly uses (`this.client.record(...)`); a subclass that
 * needs more can narrow the type: `declare protected readonly client: ObjectSyncClient`.
 */
export interface ObjectHost {
  getTopic<T extends Topic<any>>(name: string, topicType: TopicClass<T>): T;
  getTopic(name: string): Topic<unknown>;
  getObject(id: string): SObject | undefined;
  record(fn: () => void): void;
  makeRequest<R = unknown>(serviceName: string, args?: Record<string, unknown>): Promise<R>;
  createObject(typeName: string, parentId?: string, buildKwargs?: Record<string, unknown>, id?: string): string;
  destroyObject(id: string): void;
  /** @internal Gets a topic that belongs to `owner` (released when it is destroyed). */
  _ownTopic<T extends AnyTopic>(owner: SObject, name: string, topicType?: TopicClass<T>): T;
  /** @internal The value of `parent_id/<id>` of `obj` changed. */
  _onParentIdChanged(obj: SObject, oldId: string, newId: string): void;
}

export class SObject {
  private readonly _id: string;
  /** The client that owns this object. */
  protected readonly client: ObjectHost;
  /** Free-form tags (`tags/<id>`). */
  readonly tags: SetTopic<string>;

  /** @internal */ readonly _parentIdTopic: StringTopic;
  /** @internal */ readonly _topics: AnyTopic[] = [];
  /** @internal */ readonly _children = new Set<SObject>();
  /** @internal */ _parent: SObject | null = null;
  /** @internal */ _started = false;
  /** @internal */ _destroyed = false;
  /** @internal */ readonly _removers: Array<() => void> = [];

  constructor(client: ObjectHost, id: string) {
    this.client = client;
    this._id = id;
    this._parentIdTopic = client._ownTopic(this, `parent_id/${id}`, StringTopic);
    this.tags = client._ownTopic(this, `tags/${id}`, SetTopic) as SetTopic<string>;
    this._parentIdTopic.onSet2.add((oldId, newId) => client._onParentIdChanged(this, oldId, newId));
  }

  get id(): string {
    return this._id;
  }

  get isRoot(): boolean {
    return this._id === 'root';
  }

  /** The parent object once started (null for the root, or while the new parent is not there yet). */
  get parent(): SObject | null {
    return this._parent;
  }

  /** The id in `parent_id/<id>` ("" for the root). */
  get parentId(): string {
    return this._parentIdTopic.getValue();
  }

  /** The started children of this object. */
  get children(): ReadonlySet<SObject> {
    return this._children;
  }

  get isStarted(): boolean {
    return this._started;
  }

  get isDestroyed(): boolean {
    return this._destroyed;
  }

  getChildren(): ReadonlySet<SObject> {
    return this._children;
  }

  getChildrenOfType<T extends SObject>(type: abstract new (...args: never[]) => T): T[] {
    return [...this._children].filter((c): c is T => c instanceof type);
  }

  /**
   * The attribute topic `a/<id>/<name>`. Call it in the constructor for the attributes the object
   * needs: onStart waits until all of them have their values.
   */
  getAttribute<T extends Topic<any>>(name: string, topicType: TopicClass<T>): T;
  getAttribute(name: string): Topic<unknown>;
  getAttribute(name: string, topicType?: TopicClass): AnyTopic {
    return this.client._ownTopic(this, `a/${this._id}/${name}`, topicType);
  }

  /** Keeps a callback remover (such as the result of `topic.onSet.add`) and calls it on destroy. */
  link(callbackRemover: () => void): void {
    if (this._destroyed) {
      callbackRemover();
      return;
    }
    this._removers.push(callbackRemover);
  }

  /** Emits the event attribute `a/<id>/<eventName>`. */
  emit(eventName: string, args: Record<string, unknown> = {}): void {
    this.getAttribute(eventName, EventTopic).emit(args);
  }

  /** Listens to the event attribute `a/<id>/<eventName>`; the handler is removed on destroy. */
  on<A = Record<string, unknown>>(eventName: string, handler: (args: A) => void): () => void {
    const topic = this.getAttribute(eventName, EventTopic) as EventTopic<A>;
    const remove = topic.onEmit.add(handler);
    this.link(remove);
    return remove;
  }

  /** Calls the per-object service `<id>/<serviceName>` on the host. */
  makeRequest<R = unknown>(serviceName: string, args: Record<string, unknown> = {}): Promise<R> {
    return this.client.makeRequest<R>(`${this._id}/${serviceName}`, args);
  }

  /** Moves this object under another one (sets `parent_id/<id>`). */
  setParent(parent: SObject | string): void {
    this._parentIdTopic.set(typeof parent === 'string' ? parent : parent.id);
  }

  /** Asks the host to destroy this object and its subtree. */
  destroy(): void {
    this.client.destroyObject(this._id);
  }

  /** Called once: its attributes have their values and its parent has started. */
  onStart(): void {}

  /** Called when the object is removed (only if it had started). */
  onDestroy(): void {}

  /** Called after a started object moved to another parent. */
  onParentChangedTo(_newParent: SObject | null): void {}
}

/** The default class for the root object (frontend_type "Root"). */
export class Root extends SObject {}
