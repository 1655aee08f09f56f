/**
 * The connection to an ObjectSync host: opens the WebSocket, sends the token first, turns text
 * frames into messages, starts a session when the host says `hello`, and retries with backoff
 * after the connection drops. What the messages mean is up to the owner (client.ts).
 */
import { Action, Logger, isPlainObject } from './util.js';

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

/** How the connection is made; the options of the client that concern it. */
export interface ConnectionOptions {
  socketFactory?: SocketFactory;
  scheduler?: Scheduler;
  random?: () => number;
  reconnect?: ReconnectOptions;
  token?: string;
}

/** What the connection tells its owner. */
export interface ConnectionOwner {
  /** A well-formed message arrived (`args` is an object, empty if the message had none). */
  receive(type: string, args: Record<string, unknown>): void;
  /**
   * The socket is gone (it closed, or close() was called while it was there): the owner drops
   * what belonged to the session. Called before the state becomes 'closed'.
   */
  sessionEnded(): void;
}

function defaultSocketFactory(url: string): SocketLike {
  const ctor = (globalThis as { WebSocket?: new (url: string) => unknown }).WebSocket;
  if (ctor === undefined) throw new Error('ObjectSync: no WebSocket in this environment; pass options.socketFactory');
  return new ctor(url) as SocketLike;
}

/** The global setTimeout and clearTimeout. */
export const defaultScheduler: Scheduler = {
  setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, delayMs),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

export class Connection {
  /** Fired with 'connecting', 'open' (session started) or 'closed'. */
  readonly onStateChanged = new Action<[ConnectionState]>();

  private readonly socketFactory: SocketFactory;
  private readonly scheduler: Scheduler;
  private readonly random: () => number;
  private readonly reconnectOptions: Required<ReconnectOptions>;
  private readonly token: string | undefined;

  private socket: SocketLike | null = null;
  private _state: ConnectionState = 'closed';
  private _sessionOpen = false;
  private _clientId: string | null = null;
  private stopped = false;
  private attempt = 0;
  private retryHandle: unknown = null;
  private _lastRetryDelay: number | null = null;

  constructor(
    private readonly url: string,
    options: ConnectionOptions,
    private readonly logger: Logger,
    private readonly owner: ConnectionOwner,
  ) {
    this.socketFactory = options.socketFactory ?? defaultSocketFactory;
    this.scheduler = options.scheduler ?? defaultScheduler;
    this.random = options.random ?? Math.random;
    this.token = options.token;
    const r = options.reconnect ?? {};
    this.reconnectOptions = {
      enabled: r.enabled ?? true,
      initialDelayMs: r.initialDelayMs ?? 500,
      maxDelayMs: r.maxDelayMs ?? 15000,
      factor: r.factor ?? 2,
      jitter: Math.min(1, Math.max(0, r.jitter ?? 0.5)),
    };
  }

  get state(): ConnectionState {
    return this._state;
  }

  /** True between the host's `hello` and the end of that connection. */
  get sessionOpen(): boolean {
    return this._sessionOpen;
  }

  /** The id the host gave in the current session (null before the first `hello`). */
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

  connect(): void {
    this.stopped = false;
    if (this.socket !== null) return;
    this.cancelRetry();
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
    // Events of a socket that was replaced or closed meanwhile are ignored.
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

  /** Closes the connection for good (no reconnection until connect() is called again). */
  close(): void {
    this.stopped = true;
    this.cancelRetry();
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

  /** Sends a message if there is a socket (dropped otherwise: the next session starts afresh). */
  send(type: string, args: Record<string, unknown>): void {
    const socket = this.socket;
    if (socket === null) return;
    try {
      socket.send(JSON.stringify({ type, args }));
    } catch (error) {
      this.logger.warn('ObjectSync: send failed', error);
    }
  }

  /**
   * A send function tied to the current socket, for answers given later (a service's Promise):
   * it sends nothing once that socket is gone, so that an answer never reaches a later session.
   */
  senderForCurrentSocket(): (type: string, args: Record<string, unknown>) => void {
    const socket = this.socket;
    return (type, args) => {
      if (this.socket === socket) this.send(type, args);
    };
  }

  /**
   * Starts the session the host's `hello` opens: records the client id and restarts the retry
   * count, lets the owner reset its per-session state, then reports 'open' (so that listeners
   * of the state see the reset state).
   */
  openSession(id: unknown, resetSession: () => void): void {
    this._clientId = typeof id === 'string' ? id : String(id);
    this._sessionOpen = true;
    this.attempt = 0;
    resetSession();
    this.setState('open');
  }

  private setState(state: ConnectionState): void {
    if (this._state === state) return;
    this._state = state;
    this.onStateChanged.invoke(state);
  }

  private cancelRetry(): void {
    if (this.retryHandle !== null) {
      this.scheduler.clearTimeout(this.retryHandle);
      this.retryHandle = null;
    }
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
    this.owner.receive(message['type'], args);
  }

  private handleDisconnect(): void {
    this.socket = null;
    this._sessionOpen = false;
    this.owner.sessionEnded();
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
}
