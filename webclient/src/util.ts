/** Small helpers shared by the whole library: JSON values and the event (Action) type. */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Where the library reports problems it recovers from. */
export interface Logger {
  debug(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export const consoleLogger: Logger = {
  debug: (...args: unknown[]) => console.debug(...args),
  warn: (...args: unknown[]) => console.warn(...args),
  error: (...args: unknown[]) => console.error(...args),
};

let handlerErrorReporter: (error: unknown) => void = (error) => {
  console.error('ObjectSync: an event handler threw', error);
};

/** Changes where errors thrown by event handlers are reported (they never propagate into the library). */
export function setHandlerErrorReporter(reporter: (error: unknown) => void): void {
  handlerErrorReporter = reporter;
}

/**
 * A list of handlers that can be invoked together, like a C# event.
 * `add` returns a function that removes the handler again, suitable for `SObject.link`.
 */
export class Action<A extends unknown[]> {
  private handlers: Array<(...args: A) => void> = [];

  add(handler: (...args: A) => void): () => void {
    this.handlers.push(handler);
    return () => this.remove(handler);
  }

  remove(handler: (...args: A) => void): void {
    const i = this.handlers.indexOf(handler);
    if (i >= 0) this.handlers.splice(i, 1);
  }

  /** Calls every handler in the order they were added. A handler that throws is reported and skipped. */
  invoke(...args: A): void {
    for (const handler of this.handlers.slice()) {
      try {
        handler(...args);
      } catch (error) {
        handlerErrorReporter(error);
      }
    }
  }

  get handlerCount(): number {
    return this.handlers.length;
  }

  clear(): void {
    this.handlers = [];
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Sets an own property, safe for keys such as "__proto__". */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Deep copy of a JSON value. Objects keep their key order. */
export function deepCopy<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map((v) => deepCopy(v)) as unknown as T;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) setOwn(out, key, deepCopy(value[key]));
    return out as T;
  }
  return value;
}

/** JSON equality: arrays compare in order, objects regardless of key order. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (const k of ka) {
      if (!hasOwn(b, k) || !deepEqual(a[k], b[k])) return false;
    }
    return true;
  }
  return false;
}

/** Whether a value is representable in JSON (no undefined, functions, NaN, ...). */
export function isJson(value: unknown): value is Json {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      if (value === null) return true;
      if (Array.isArray(value)) return value.every(isJson);
      if (isPlainObject(value)) return Object.keys(value).every((k) => isJson(value[k]));
      return false;
    default:
      return false;
  }
}
