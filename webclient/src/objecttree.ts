/**
 * The object tree: an SObject for every entry of the host's `_objects` dict, started once its
 * attributes have values and its parent has started, moved when its `parent_id/<id>` changes,
 * and destroyed (with its subtree) when the host removes it.
 */
import { ObjectHost, Root, SObject } from './sobject.js';
import { AnyTopic, DictTopic, EventTopic, TopicClass } from './topics.js';
import type { TopicRegistry } from './topicregistry.js';
import type { Logger } from './util.js';

export const OBJECTS_TOPIC = '_objects';

/** A class of objects, constructed with the host `H` (the client, for the classes a page registers). */
export type ObjectClass<H extends ObjectHost> = new (host: H, id: string) => SObject;

export class ObjectTree<H extends ObjectHost> {
  /** `_objects`: object id -> frontend_type. */
  readonly objectsTopic: DictTopic<string>;

  private readonly objectsById = new Map<string, SObject>();
  private readonly unstarted = new Set<SObject>();
  /** Started objects whose new parent has not started yet. */
  private readonly waitingForParent = new Set<SObject>();
  /** The topics asked for by the objects being constructed (released if a constructor throws). */
  private constructing: Array<AnyTopic> | null = null;

  private readonly createObjectTopic: EventTopic;
  private readonly destroyObjectTopic: EventTopic;

  /**
   * `host` is handed to the objects' constructors (it is the client, which the objects' own
   * code uses); `objectTypes` maps a frontend_type to its class.
   */
  constructor(
    private readonly host: H,
    private readonly topics: TopicRegistry,
    private readonly objectTypes: Readonly<Record<string, ObjectClass<H>>>,
    private readonly logger: Logger,
  ) {
    this.objectsTopic = topics.getTopic(OBJECTS_TOPIC, DictTopic) as DictTopic<string>;
    this.objectsTopic.onAdd.add((id, type) => this.onObjectListed(id, type));
    this.objectsTopic.onPop.add((id) => this.onObjectUnlisted(id));
    this.objectsTopic.onChangeValue.add((id, type) => {
      this.onObjectUnlisted(id);
      this.onObjectListed(id, type);
    });

    this.createObjectTopic = topics.getTopic('create_object', EventTopic) as EventTopic;
    this.destroyObjectTopic = topics.getTopic('destroy_object', EventTopic) as EventTopic;
  }

  get(id: string): SObject | undefined {
    return this.objectsById.get(id);
  }

  /** All objects currently known (started or not). */
  get all(): ReadonlyMap<string, SObject> {
    return this.objectsById;
  }

  /** The object that asked for a topic (with getAttribute, or its parent_id and tags), if any. */
  ownerOf(topic: AnyTopic): SObject | undefined {
    for (const obj of this.objectsById.values()) if (obj._topics.includes(topic)) return obj;
    return undefined;
  }

  /**
   * True when every topic the objects asked for has its value in this session, apart from those
   * `onHost` says the host does not have (they may never come).
   */
  topicsArrived(onHost: (name: string) => boolean): boolean {
    for (const obj of this.objectsById.values()) {
      for (const t of obj._topics) if (!t._synced && !t._detached && onHost(t.name)) return false;
    }
    return true;
  }

  /** Emits `create_object`; the object appears when the host lists it in `_objects`. */
  requestCreate(typeName: string, parentId: string, id: string, buildKwargs?: Record<string, unknown>): void {
    const args: Record<string, unknown> = { type: typeName, parent_id: parentId, id };
    if (buildKwargs !== undefined) args['build_kwargs'] = buildKwargs;
    this.createObjectTopic.emit(args);
  }

  /** Emits `destroy_object` (the host removes the subtree). */
  requestDestroy(id: string): void {
    this.destroyObjectTopic.emit({ id });
  }

  /** Gets a topic that belongs to an object (released when the object is destroyed). */
  ownTopic<T extends AnyTopic>(owner: SObject, name: string, topicType?: TopicClass<T>): T {
    if (owner._destroyed) throw new Error(`ObjectSync: object "${owner.id}" was destroyed`);
    const topic = (topicType === undefined ? this.topics.getTopic(name) : this.topics.getTopic(name, topicType)) as T;
    if (!owner._topics.includes(topic)) {
      owner._topics.push(topic);
      this.constructing?.push(topic);
    }
    return topic;
  }

  /** A started object's `parent_id/<id>` changed: move it now, or once the new parent starts. */
  parentIdChanged(obj: SObject, oldId: string, newId: string): void {
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

  /** Starts every object that can start, parents before children (run after each host message). */
  startReadyObjects(): void {
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
      obj = new cls(this.host, id);
    } catch (error) {
      this.logger.error(`ObjectSync: constructing object "${id}" (${type}) failed`, error);
      for (const t of owned) this.topics.unsubscribe(t);
      return;
    } finally {
      this.constructing = outer;
    }
    this.objectsById.set(id, obj);
    this.unstarted.add(obj);
    this.startReadyObjects();
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
    for (const topic of obj._topics) this.topics.unsubscribe(topic);
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

  /** A hook that throws must not stop the others (nor the message being handled). */
  private callHook(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.logger.error('ObjectSync: an object hook threw', error);
    }
  }
}
