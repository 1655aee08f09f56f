/**
 * The value model of one topic, without any I/O: validation of change dicts, applying them,
 * string versions and the transformation of string edits made against an older version.
 * It follows PROTOCOL.md ("Change dicts") and is checked against tests/vectors/changes.json,
 * the cases the host's engine runs too.
 */
import { Json, deepCopy, deepEqual, hasOwn, isJson, isPlainObject, setOwn } from './util.js';

export type TopicTypeName = 'generic' | 'string' | 'int' | 'float' | 'set' | 'list' | 'dict' | 'event';

export const TOPIC_TYPE_NAMES: readonly TopicTypeName[] = [
  'generic', 'string', 'int', 'float', 'set', 'list', 'dict', 'event',
];

export function isTopicTypeName(name: unknown): name is TopicTypeName {
  return typeof name === 'string' && (TOPIC_TYPE_NAMES as readonly string[]).includes(name);
}

/** A change as it travels on the wire. Unknown fields are kept and ignored. */
export interface ChangeDict {
  topic_name?: string;
  topic_type: string;
  type: string;
  id?: string;
  [field: string]: unknown;
}

/** A change that the topic refuses; the topic's state is unchanged. */
export class InvalidChangeError extends Error {
  constructor(message: string, readonly change?: unknown) {
    super(message);
    this.name = 'InvalidChangeError';
  }
}

/** A change whose `type` this topic type does not know (a newer host, or a corrupted message). */
export class UnknownChangeTypeError extends InvalidChangeError {
  constructor(message: string, change?: unknown) {
    super(message, change);
    this.name = 'UnknownChangeTypeError';
  }
}

export function defaultValue(type: TopicTypeName): Json {
  switch (type) {
    case 'string': return '';
    case 'int': return 0;
    case 'float': return 0;
    case 'set': return [];
    case 'list': return [];
    case 'dict': return {};
    default: return null;
  }
}

/** The result of applying one change. */
export interface AppliedChange {
  /** The change as applied: list positions resolved, string edits transformed, old values filled in. */
  readonly change: ChangeDict;
  readonly oldValue: Json;
  readonly newValue: Json;
  /** String topics: version before and after. */
  readonly oldVersion: string | undefined;
  readonly newVersion: string | undefined;
  /** A change that describes the way back (used to report a rollback to listeners); null for emit. */
  readonly inverse: ChangeDict | null;
}

/** A stable text key for a JSON value (object keys sorted), used to find duplicates quickly. */
export function canonicalKey(value: unknown): string {
  if (Array.isArray(value)) return '[' + value.map(canonicalKey).join(',') + ']';
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalKey(value[k])).join(',') + '}';
  }
  return JSON.stringify(value) ?? 'undefined';
}

function fail(message: string, change?: unknown): never {
  throw new InvalidChangeError(message, change);
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 80 ? text.slice(0, 77) + '...' : text;
}

/** Checks that `value` may be the whole value of a topic of `type`; throws InvalidChangeError otherwise. */
export function validateValue(type: TopicTypeName, value: unknown): asserts value is Json {
  switch (type) {
    case 'generic':
      if (!isJson(value)) fail(`not a JSON value: ${describe(value)}`);
      return;
    case 'string':
      if (typeof value !== 'string') fail(`string topic needs a string, got ${describe(value)}`);
      return;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) fail(`int topic needs an integer, got ${describe(value)}`);
      return;
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(`float topic needs a number, got ${describe(value)}`);
      return;
    case 'set': {
      if (!Array.isArray(value) || !isJson(value)) fail(`set topic needs an array, got ${describe(value)}`);
      const seen = new Set<string>();
      for (const item of value) {
        const key = canonicalKey(item);
        if (seen.has(key)) fail(`set value has a duplicate item ${describe(item)}`);
        seen.add(key);
      }
      return;
    }
    case 'list':
      if (!Array.isArray(value) || !isJson(value)) fail(`list topic needs an array, got ${describe(value)}`);
      return;
    case 'dict':
      if (!isPlainObject(value) || !isJson(value)) fail(`dict topic needs an object, got ${describe(value)}`);
      return;
    case 'event':
      fail('an event topic has no value');
  }
}

function requireString(change: ChangeDict, field: string): string {
  const v = change[field];
  if (typeof v !== 'string') fail(`field "${field}" must be a string, got ${describe(v)}`, change);
  return v;
}

function requireInteger(change: ChangeDict, field: string): number {
  const v = change[field];
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(`field "${field}" must be an integer, got ${describe(v)}`, change);
  return v;
}

function requireJson(change: ChangeDict, field: string): Json {
  if (!hasOwn(change, field)) fail(`field "${field}" is missing`, change);
  const v = change[field];
  if (!isJson(v)) fail(`field "${field}" is not a JSON value`, change);
  return v;
}

interface StringEdit {
  kind: 'insert' | 'delete';
  position: number;
  text: string;
}

/**
 * Moves a string edit made against an older version over the changes applied since
 * (the same rules as the host's engine):
 * - an insert at or before the position moves it right; an insert inside a delete's range
 *   survives: the deletion stops right before it;
 * - a delete before the position moves it left (at most to the deleted range's start);
 *   overlapping deletes drop the part already deleted;
 * - after a `set` the position is 0 and a delete deletes nothing.
 */
export function transformStringEdit(edit: StringEdit, since: readonly ChangeDict[]): StringEdit {
  let { position, text } = edit;
  for (const applied of since) {
    if (applied.type === 'set') {
      position = 0;
      if (edit.kind === 'delete') text = '';
      continue;
    }
    const ap = applied['position'] as number;
    if (applied.type === 'insert') {
      const ins = applied['insertion'] as string;
      if (ap <= position) {
        position += ins.length;
      } else if (edit.kind === 'delete' && ap < position + text.length) {
        text = text.slice(0, ap - position);
      }
    } else if (applied.type === 'delete') {
      const del = applied['deletion'] as string;
      if (edit.kind === 'delete') {
        const overlapStart = Math.max(ap, position);
        const overlapEnd = Math.min(ap + del.length, position + text.length);
        if (overlapEnd > overlapStart) {
          text = text.slice(0, overlapStart - position) + text.slice(overlapEnd - position);
        }
      }
      if (ap < position) position -= Math.min(del.length, position - ap);
    }
  }
  return { kind: edit.kind, position, text };
}

interface HistoryEntry {
  version: string;
  change: ChangeDict;
}

/**
 * One topic's value (and, for string topics, its version and recent history).
 * Values are treated as immutable: every change produces a new value, so old values handed
 * to listeners stay valid.
 */
export class TopicModel {
  private _value: Json;
  private _version: string | undefined;
  private history: HistoryEntry[] = [];
  private baseVersion: string | undefined;

  /** How many string changes are kept to transform late edits against (older versions become unknown). */
  maxHistory = Number.POSITIVE_INFINITY;

  constructor(readonly type: TopicTypeName, value?: Json, version?: string) {
    this._value = value === undefined ? defaultValue(type) : deepCopy(value);
    this._version = version;
    this.baseVersion = version;
  }

  get value(): Json {
    return this._value;
  }

  /** The string topic's version (undefined for other types or before any init). */
  get version(): string | undefined {
    return this._version;
  }

  /** Replaces the state (an `init`): forgets the string history. */
  reset(value: Json, version?: string): void {
    this._value = deepCopy(value);
    this._version = version;
    this.baseVersion = version;
    this.history = [];
  }

  /** Validates and applies a change. Throws InvalidChangeError (state unchanged) if it is refused. */
  apply(input: unknown): AppliedChange {
    if (!isPlainObject(input)) fail(`a change must be an object, got ${describe(input)}`);
    const change = input as ChangeDict;
    if (change.topic_type !== this.type) {
      fail(`change for a ${describe(change.topic_type)} topic applied to a ${this.type} topic`, change);
    }
    const kind = change.type;
    if (typeof kind !== 'string') fail('change has no type', change);

    if (this.type === 'string' && (kind === 'insert' || kind === 'delete')) {
      return this.applyStringEdit(change, kind);
    }
    const oldValue = this._value;
    let newValue: Json;
    let normalized: ChangeDict;
    let inverse: ChangeDict | null;
    const base = { topic_name: change.topic_name, topic_type: this.type } as const;

    if (kind === 'set' && this.type !== 'event') {
      const value = requireJson(change, 'value');
      validateValue(this.type, value);
      newValue = deepCopy(value);
      normalized = { ...change, value: deepCopy(value), old_value: oldValue };
      inverse = { ...base, type: 'set', value: oldValue, old_value: newValue };
      if (this.type === 'string') {
        const version = typeof change['result_topic_version'] === 'string'
          ? change['result_topic_version']
          : change.id;
        if (typeof version !== 'string') fail('a string set needs an id or result_topic_version', change);
        inverse['result_topic_version'] = this._version;
        return this.commit(normalized, inverse, oldValue, newValue, version);
      }
      return this.commit(normalized, inverse, oldValue, newValue);
    }

    switch (this.type) {
      case 'int':
      case 'float': {
        if (kind !== 'add') break;
        const v = change['value'];
        if (typeof v !== 'number' || !Number.isFinite(v) || (this.type === 'int' && !Number.isInteger(v))) {
          fail(`${this.type} add needs ${this.type === 'int' ? 'an integer' : 'a number'}, got ${describe(v)}`, change);
        }
        newValue = (oldValue as number) + v;
        normalized = { ...change };
        inverse = { ...base, type: 'set', value: oldValue, old_value: newValue };
        return this.commit(normalized, inverse, oldValue, newValue);
      }
      case 'set': {
        if (kind !== 'append' && kind !== 'remove') break;
        const item = requireJson(change, 'item');
        const arr = oldValue as Json[];
        const index = arr.findIndex((x) => deepEqual(x, item));
        if (kind === 'append') {
          if (index >= 0) fail(`set already holds ${describe(item)}`, change);
          newValue = [...arr, deepCopy(item)];
          inverse = { ...base, type: 'remove', item: deepCopy(item) };
        } else {
          if (index < 0) fail(`set does not hold ${describe(item)}`, change);
          newValue = arr.filter((_, i) => i !== index);
          inverse = { ...base, type: 'append', item: deepCopy(item) };
        }
        normalized = { ...change, item: deepCopy(item) };
        return this.commit(normalized, inverse, oldValue, newValue);
      }
      case 'list': {
        const arr = oldValue as Json[];
        if (kind === 'insert') {
          const item = requireJson(change, 'item');
          const pos = requireInteger(change, 'position');
          const p = pos < 0 ? arr.length + 1 + pos : pos;
          if (p < 0 || p > arr.length) fail(`insert position ${pos} out of range for length ${arr.length}`, change);
          newValue = [...arr.slice(0, p), deepCopy(item), ...arr.slice(p)];
          normalized = { ...change, item: deepCopy(item), position: p };
          inverse = { ...base, type: 'pop', position: p };
          return this.commit(normalized, inverse, oldValue, newValue);
        }
        if (kind === 'pop') {
          const pos = requireInteger(change, 'position');
          const p = pos < 0 ? arr.length + pos : pos;
          if (p < 0 || p >= arr.length) fail(`pop position ${pos} out of range for length ${arr.length}`, change);
          newValue = arr.filter((_, i) => i !== p);
          normalized = { ...change, position: p };
          inverse = { ...base, type: 'insert', item: arr[p] as Json, position: p };
          return this.commit(normalized, inverse, oldValue, newValue);
        }
        break;
      }
      case 'dict': {
        if (kind !== 'add' && kind !== 'pop' && kind !== 'change_value') break;
        const dict = oldValue as Record<string, Json>;
        const key = requireString(change, 'key');
        const present = hasOwn(dict, key);
        const copy: Record<string, Json> = {};
        for (const k of Object.keys(dict)) if (k !== key || kind === 'change_value') setOwn(copy, k, dict[k]);
        if (kind === 'add') {
          const value = requireJson(change, 'value');
          if (present) fail(`dict already has key ${describe(key)}`, change);
          setOwn(copy, key, deepCopy(value));
          normalized = { ...change, value: deepCopy(value) };
          inverse = { ...base, type: 'pop', key };
        } else if (kind === 'pop') {
          if (!present) fail(`dict has no key ${describe(key)}`, change);
          normalized = { ...change };
          inverse = { ...base, type: 'add', key, value: dict[key] as Json };
        } else {
          const value = requireJson(change, 'value');
          if (!present) fail(`dict has no key ${describe(key)}`, change);
          setOwn(copy, key, deepCopy(value));
          normalized = { ...change, value: deepCopy(value), old_value: dict[key] as Json };
          inverse = { ...base, type: 'change_value', key, value: dict[key] as Json, old_value: deepCopy(value) };
        }
        return this.commit(normalized, inverse, oldValue, copy);
      }
      case 'event': {
        if (kind !== 'emit') break;
        const args = change['args'] === undefined || change['args'] === null ? {} : change['args'];
        if (!isPlainObject(args) || !isJson(args)) fail(`emit args must be an object, got ${describe(args)}`, change);
        normalized = { ...change, args: deepCopy(args) };
        return this.commit(normalized, null, null, null);
      }
      default:
        break;
    }
    throw new UnknownChangeTypeError(`a ${this.type} topic has no change of type ${describe(kind)}`, change);
  }

  /** Puts back the state from before `applied`, which must be the latest change applied to this topic. */
  rollback(applied: AppliedChange): void {
    this._value = applied.oldValue;
    if (this.type === 'string') {
      const last = this.history[this.history.length - 1];
      if (last !== undefined && last.version === applied.newVersion) this.history.pop();
      this._version = applied.oldVersion;
    }
  }

  /** The string changes applied after `version`; throws if the version is unknown. */
  changesSince(version: string): ChangeDict[] {
    if (version === this._version) return [];
    for (let i = this.history.length - 1; i >= 0; i--) {
      if ((this.history[i] as HistoryEntry).version === version) {
        return this.history.slice(i + 1).map((h) => h.change);
      }
    }
    if (version === this.baseVersion) return this.history.map((h) => h.change);
    return fail(`unknown topic_version ${describe(version)}`);
  }

  private applyStringEdit(change: ChangeDict, kind: 'insert' | 'delete'): AppliedChange {
    const topicVersion = requireString(change, 'topic_version');
    const resultVersion = requireString(change, 'result_topic_version');
    const position = requireInteger(change, 'position');
    const textField = kind === 'insert' ? 'insertion' : 'deletion';
    const text = requireString(change, textField);
    let edit: StringEdit = { kind, position, text };
    if (topicVersion !== this._version) {
      let since: ChangeDict[];
      try {
        since = this.changesSince(topicVersion);
      } catch {
        return fail(`unknown topic_version ${describe(topicVersion)}`, change);
      }
      edit = transformStringEdit(edit, since);
    }
    const old = this._value as string;
    if (edit.position < 0 || edit.position > old.length) {
      fail(`${kind} position ${edit.position} out of range for length ${old.length}`, change);
    }
    let newValue: string;
    if (kind === 'insert') {
      newValue = old.slice(0, edit.position) + edit.text + old.slice(edit.position);
    } else {
      if (!old.startsWith(edit.text, edit.position)) {
        fail(`text at ${edit.position} is not ${describe(edit.text)}`, change);
      }
      newValue = old.slice(0, edit.position) + old.slice(edit.position + edit.text.length);
    }
    const normalized: ChangeDict = {
      ...change, position: edit.position, [textField]: edit.text, topic_version: this._version,
    };
    const inverse: ChangeDict = {
      topic_name: change.topic_name, topic_type: 'string', type: kind === 'insert' ? 'delete' : 'insert',
      topic_version: resultVersion, position: edit.position,
      [kind === 'insert' ? 'deletion' : 'insertion']: edit.text, result_topic_version: this._version,
    };
    return this.commit(normalized, inverse, old, newValue, resultVersion);
  }

  private commit(
    normalized: ChangeDict, inverse: ChangeDict | null,
    oldValue: Json, newValue: Json, newVersion?: string,
  ): AppliedChange {
    const oldVersion = this._version;
    this._value = newValue;
    if (newVersion !== undefined) {
      this._version = newVersion;
      this.history.push({ version: newVersion, change: normalized });
      while (this.history.length > this.maxHistory) {
        const dropped = this.history.shift() as HistoryEntry;
        this.baseVersion = dropped.version;
      }
    }
    return {
      change: normalized, oldValue, newValue, oldVersion,
      newVersion: newVersion ?? oldVersion, inverse,
    };
  }
}
