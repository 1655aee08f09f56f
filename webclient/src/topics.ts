/**
 * Topic classes: the typed, observable face of a topic. A topic is obtained from the client
 * (`client.getTopic`) or from an object (`SObject.getAttribute`); its mutators apply the change
 * at once (optimistically) and send it to the host.
 */
import { AppliedChange, ChangeDict, TopicModel, TopicTypeName } from './model.js';
import { Action, Json, deepEqual, hasOwn, isPlainObject } from './util.js';

/** A topic of any value type. */
export type AnyTopic = Topic<any>;

/** What a topic needs from the client that owns it. */
export interface TopicHost {
  /** Applies a change made by the application, records it as pending and sends it. */
  _submitLocal(topic: AnyTopic, change: { type: string; [field: string]: unknown }): void;
}

/** A topic class, as passed to `getTopic` / `getAttribute`. */
export type TopicClass<T extends Topic<any> = Topic<any>> = {
  new (name: string, host: TopicHost): T;
  readonly typeName: TopicTypeName;
};

export class TopicDetachedError extends Error {
  constructor(name: string) {
    super(`ObjectSync: topic "${name}" was removed or unsubscribed and cannot be used anymore`);
    this.name = 'TopicDetachedError';
  }
}

export abstract class Topic<T> {
  /** The wire name of the topic type; each subclass sets it. */
  static readonly typeName: TopicTypeName;

  /** Fired after every change with the new value (also after an init or a rollback). */
  readonly onSet = new Action<[T]>();
  /** Fired after every change with the old and the new value. */
  readonly onSet2 = new Action<[T, T]>();

  /** @internal The value model. */
  readonly _model: TopicModel;
  /** @internal An init arrived in the current session. */
  _synced = false;
  /** @internal An init arrived at least once. */
  _everReady = false;
  /** @internal Released or removed by the host. */
  _detached = false;
  /** @internal A subscribe was sent in the current session. */
  _subscribed = false;
  /** The Promises of ready() still waiting for the first value. */
  private readyWaiters: Array<{ resolve: (value: T) => void; reject: (error: unknown) => void }> = [];

  constructor(readonly name: string, protected readonly host: TopicHost) {
    const cls = new.target as unknown as TopicClass;
    this._model = new TopicModel(cls.typeName);
  }

  get typeName(): TopicTypeName {
    return this._model.type;
  }

  /** The current value (treat it as read-only: changes go through the mutators). */
  getValue(): T {
    return this._model.value as unknown as T;
  }

  get value(): T {
    return this.getValue();
  }

  /** True once the host's value has arrived (it stays true while reconnecting). */
  get isReady(): boolean {
    return this._everReady;
  }

  /**
   * Resolves with the value once the host's first value has arrived (at once if it has already);
   * rejects with TopicDetachedError if the topic is let go before that. A topic the host does
   * not have stays waiting until the host adds it.
   */
  ready(): Promise<T> {
    if (this._everReady) return Promise.resolve(this.getValue());
    if (this._detached) return Promise.reject(new TopicDetachedError(this.name));
    return new Promise<T>((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  /** @internal The first value arrived, or the topic was let go: settles the Promises of ready(). */
  _settleReady(): void {
    if (this.readyWaiters.length === 0 || !(this._everReady || this._detached)) return;
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) {
      if (this._everReady) w.resolve(this.getValue());
      else w.reject(new TopicDetachedError(this.name));
    }
  }

  /** True while the topic is in sync with the host and can be changed. */
  get isSynced(): boolean {
    return this._synced && !this._detached;
  }

  get isDetached(): boolean {
    return this._detached;
  }

  protected submit(change: { type: string; [field: string]: unknown }): void {
    if (this._detached) throw new TopicDetachedError(this.name);
    this.host._submitLocal(this, change);
  }

  /** @internal Fires the events for a change that was applied. */
  _notifyApplied(applied: AppliedChange): void {
    this.notify(applied.change, applied.oldValue, applied.newValue);
  }

  /** @internal Fires the events for undoing a change (its inverse). */
  _notifyRolledBack(applied: AppliedChange): void {
    if (applied.inverse === null) return;
    this.notify(applied.inverse, applied.newValue, applied.oldValue);
  }

  /** @internal Fires the events for a value replaced by an init. */
  _notifyReset(oldValue: Json, newValue: Json): void {
    const change: ChangeDict = { topic_name: this.name, topic_type: this.typeName, type: 'set', value: newValue };
    this.notify(change, oldValue, newValue);
  }

  protected notify(change: ChangeDict, oldValue: Json, newValue: Json): void {
    this.notifyTyped(change, oldValue, newValue);
    this.onSet.invoke(newValue as unknown as T);
    this.onSet2.invoke(oldValue as unknown as T, newValue as unknown as T);
  }

  /** Type-specific events; `change` is a normalized change dict. */
  protected notifyTyped(_change: ChangeDict, _oldValue: Json, _newValue: Json): void {}
}

/** Any JSON value. */
export class GenericTopic<T = unknown> extends Topic<T> {
  static override readonly typeName: TopicTypeName = 'generic';

  set(value: T): void {
    this.submit({ type: 'set', value });
  }
}

export class StringTopic extends Topic<string> {
  static override readonly typeName: TopicTypeName = 'string';
  /** (insertion, position) */
  readonly onInsert = new Action<[string, number]>();
  /** (deletion, position) */
  readonly onDelete = new Action<[string, number]>();

  /** The topic's version (see PROTOCOL.md, string versions). */
  get version(): string | undefined {
    return this._model.version;
  }

  set(value: string): void {
    this.submit({ type: 'set', value });
  }

  insert(position: number, insertion: string): void {
    this.submit({ type: 'insert', position, insertion });
  }

  /** Deletes `length` characters (or exactly the given text) at `position`. */
  delete(position: number, lengthOrText: number | string): void {
    const deletion = typeof lengthOrText === 'string'
      ? lengthOrText
      : this.getValue().slice(position, position + lengthOrText);
    this.submit({ type: 'delete', position, deletion });
  }

  protected override notifyTyped(change: ChangeDict): void {
    if (change.type === 'insert') this.onInsert.invoke(change['insertion'] as string, change['position'] as number);
    else if (change.type === 'delete') this.onDelete.invoke(change['deletion'] as string, change['position'] as number);
  }
}

export class IntTopic extends Topic<number> {
  static override readonly typeName: TopicTypeName = 'int';

  set(value: number): void {
    this.submit({ type: 'set', value });
  }

  add(value: number): void {
    this.submit({ type: 'add', value });
  }
}

export class FloatTopic extends Topic<number> {
  static override readonly typeName: TopicTypeName = 'float';

  set(value: number): void {
    this.submit({ type: 'set', value });
  }

  add(value: number): void {
    this.submit({ type: 'add', value });
  }
}

/** An array without duplicates; `append` adds at the end. */
export class SetTopic<T = unknown> extends Topic<readonly T[]> {
  static override readonly typeName: TopicTypeName = 'set';
  readonly onAppend = new Action<[T]>();
  readonly onRemove = new Action<[T]>();

  set(value: readonly T[]): void {
    this.submit({ type: 'set', value });
  }

  append(item: T): void {
    this.submit({ type: 'append', item });
  }

  remove(item: T): void {
    this.submit({ type: 'remove', item });
  }

  has(item: T): boolean {
    return this.getValue().some((x) => deepEqual(x, item));
  }

  get size(): number {
    return this.getValue().length;
  }

  protected override notifyTyped(change: ChangeDict, oldValue: Json, newValue: Json): void {
    if (change.type === 'append') this.onAppend.invoke(change['item'] as T);
    else if (change.type === 'remove') this.onRemove.invoke(change['item'] as T);
    else if (change.type === 'set') {
      const oldItems = (oldValue ?? []) as Json[];
      const newItems = (newValue ?? []) as Json[];
      for (const item of oldItems) if (!newItems.some((x) => deepEqual(x, item))) this.onRemove.invoke(item as T);
      for (const item of newItems) if (!oldItems.some((x) => deepEqual(x, item))) this.onAppend.invoke(item as T);
    }
  }
}

/** An array; negative positions count from the end (-1 = append for insert, last for pop). */
export class ListTopic<T = unknown> extends Topic<readonly T[]> {
  static override readonly typeName: TopicTypeName = 'list';
  /** (item, position) */
  readonly onInsert = new Action<[T, number]>();
  /** (item, position) */
  readonly onPop = new Action<[T, number]>();
  /** Same event as onPop. */
  readonly onRemove = this.onPop;

  set(value: readonly T[]): void {
    this.submit({ type: 'set', value });
  }

  insert(item: T, position = -1): void {
    this.submit({ type: 'insert', item, position });
  }

  append(item: T): void {
    this.insert(item, -1);
  }

  /** Removes and returns the item at `position` (default: the last one). */
  pop(position = -1): T {
    const arr = this.getValue();
    const item = arr[position < 0 ? arr.length + position : position] as T;
    this.submit({ type: 'pop', position });
    return item;
  }

  /** Removes the first item equal to `item`; returns false if there is none. */
  remove(item: T): boolean {
    const index = this.getValue().findIndex((x) => deepEqual(x, item));
    if (index < 0) return false;
    this.submit({ type: 'pop', position: index });
    return true;
  }

  get length(): number {
    return this.getValue().length;
  }

  get(index: number): T | undefined {
    return this.getValue()[index];
  }

  protected override notifyTyped(change: ChangeDict, oldValue: Json, newValue: Json): void {
    if (change.type === 'insert') this.onInsert.invoke(change['item'] as T, change['position'] as number);
    else if (change.type === 'pop') {
      const p = change['position'] as number;
      this.onPop.invoke((oldValue as Json[])[p] as T, p);
    } else if (change.type === 'set') {
      const oldItems = (oldValue ?? []) as Json[];
      const newItems = (newValue ?? []) as Json[];
      for (let i = oldItems.length - 1; i >= 0; i--) this.onPop.invoke(oldItems[i] as T, i);
      for (let i = 0; i < newItems.length; i++) this.onInsert.invoke(newItems[i] as T, i);
    }
  }
}

/** A JSON object with string keys. */
export class DictTopic<V = unknown> extends Topic<Readonly<Record<string, V>>> {
  static override readonly typeName: TopicTypeName = 'dict';
  /** (key, value) */
  readonly onAdd = new Action<[string, V]>();
  /** (key, removed value) */
  readonly onPop = new Action<[string, V]>();
  /** Same event as onPop. */
  readonly onRemove = this.onPop;
  /** (key, new value, old value) */
  readonly onChangeValue = new Action<[string, V, V]>();

  set(value: Readonly<Record<string, V>> | ReadonlyMap<string, V>): void {
    const obj = value instanceof Map ? Object.fromEntries(value.entries()) : value;
    this.submit({ type: 'set', value: obj });
  }

  add(key: string, value: V): void {
    this.submit({ type: 'add', key, value });
  }

  /** Removes a key and returns its value. */
  pop(key: string): V | undefined {
    const old = this.get(key);
    this.submit({ type: 'pop', key });
    return old;
  }

  remove(key: string): void {
    this.pop(key);
  }

  changeValue(key: string, value: V): void {
    this.submit({ type: 'change_value', key, value });
  }

  get(key: string): V | undefined {
    const d = this.getValue();
    return hasOwn(d, key) ? d[key] : undefined;
  }

  has(key: string): boolean {
    return hasOwn(this.getValue(), key);
  }

  keys(): string[] {
    return Object.keys(this.getValue());
  }

  entries(): Array<[string, V]> {
    const d = this.getValue();
    return Object.keys(d).map((k) => [k, d[k] as V]);
  }

  protected override notifyTyped(change: ChangeDict, oldValue: Json, newValue: Json): void {
    const oldDict = (isPlainObject(oldValue) ? oldValue : {}) as Record<string, V>;
    const newDict = (isPlainObject(newValue) ? newValue : {}) as Record<string, V>;
    const key = change['key'] as string;
    switch (change.type) {
      case 'add':
        this.onAdd.invoke(key, newDict[key] as V);
        break;
      case 'pop':
        this.onPop.invoke(key, oldDict[key] as V);
        break;
      case 'change_value':
        this.onChangeValue.invoke(key, newDict[key] as V, oldDict[key] as V);
        break;
      case 'set':
        for (const k of Object.keys(oldDict)) if (!hasOwn(newDict, k)) this.onPop.invoke(k, oldDict[k] as V);
        for (const k of Object.keys(newDict)) if (!hasOwn(oldDict, k)) this.onAdd.invoke(k, newDict[k] as V);
        for (const k of Object.keys(newDict)) {
          if (hasOwn(oldDict, k) && !deepEqual(oldDict[k], newDict[k])) {
            this.onChangeValue.invoke(k, newDict[k] as V, oldDict[k] as V);
          }
        }
        break;
      default:
        break;
    }
  }
}

/** No value, only emissions. */
export class EventTopic<A = Record<string, unknown>> extends Topic<null> {
  static override readonly typeName: TopicTypeName = 'event';
  readonly onEmit = new Action<[A]>();

  emit(args?: A): void {
    this.submit({ type: 'emit', args: args ?? {} });
  }

  protected override notify(change: ChangeDict): void {
    if (change.type === 'emit') this.onEmit.invoke(change['args'] as A);
  }
}

export const TOPIC_CLASSES: Readonly<Record<TopicTypeName, TopicClass>> = {
  generic: GenericTopic,
  string: StringTopic,
  int: IntTopic,
  float: FloatTopic,
  set: SetTopic,
  list: ListTopic,
  dict: DictTopic,
  event: EventTopic,
};
