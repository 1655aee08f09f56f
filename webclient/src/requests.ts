/**
 * Service calls both ways: requests this client makes to the host's services (answered by a
 * `response`), and the services this client offers to the host (it sends `request`, we answer).
 */
import type { Connection } from './connection.js';
import { Logger, isPlainObject } from './util.js';

export type ServiceHandler = (args: Record<string, unknown>) => unknown;

/**
 * Why a request failed; `kind` says how:
 * - `'refused'`: the host answered with an error (an unknown service, a failing service, a
 *   refused undo...); the message is the host's reason, as it sent it;
 * - `'not-connected'`: there was no session to send it on;
 * - `'connection-lost'`: the connection dropped before the answer came (the host may or may not
 *   have run the service).
 */
export class RequestError extends Error {
  constructor(
    message: string,
    /** The service that was called. */
    readonly serviceName: string,
    readonly kind: 'refused' | 'not-connected' | 'connection-lost' = 'refused',
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

interface OutstandingRequest {
  serviceName: string;
  resolve: (value: any) => void;
  reject: (reason: unknown) => void;
}

export class Requests {
  private readonly outstanding = new Map<string, OutstandingRequest>();
  private readonly services = new Map<string, ServiceHandler>();

  constructor(
    private readonly connection: Connection,
    private readonly newId: () => string,
    private readonly logger: Logger,
  ) {}

  /**
   * Calls a host service; resolves with its response. Rejects with a RequestError when the host
   * answers with an error, when not connected, or when the connection drops before the answer.
   */
  makeRequest<R>(serviceName: string, args: Record<string, unknown>): Promise<R> {
    if (!this.connection.sessionOpen) {
      return Promise.reject(new RequestError(
        `ObjectSync: cannot call "${serviceName}": not connected`, serviceName, 'not-connected'));
    }
    const requestId = this.newId();
    return new Promise<R>((resolve, reject) => {
      this.outstanding.set(requestId, { serviceName, resolve, reject });
      this.connection.send('request', { service_name: serviceName, args, request_id: requestId });
    });
  }

  /** Registers a service the host can call; returns a remover. */
  registerService(name: string, handler: ServiceHandler): () => void {
    this.services.set(name, handler);
    return () => {
      if (this.services.get(name) === handler) this.services.delete(name);
    };
  }

  /** The host's `response` to one of our requests. */
  handleResponse(args: Record<string, unknown>): void {
    const id = String(args['request_id']);
    const request = this.outstanding.get(id);
    if (request === undefined) return;
    this.outstanding.delete(id);
    // A failed request is answered with `response: null` and the reason in `error`.
    const error = args['error'];
    if (error !== undefined && error !== null) {
      const reason = typeof error === 'string' ? error : JSON.stringify(error);
      request.reject(new RequestError(reason, request.serviceName));
      return;
    }
    request.resolve(args['response']);
  }

  /**
   * The host's `request` for one of our services. The host waits for an answer, so every
   * request gets one: null when the service is unknown or fails.
   */
  handleRequest(args: Record<string, unknown>): void {
    const serviceName = args['service_name'];
    const requestId = args['request_id'];
    const callArgs = isPlainObject(args['args']) ? args['args'] : {};
    const handler = typeof serviceName === 'string' ? this.services.get(serviceName) : undefined;
    const send = this.connection.senderForCurrentSocket();
    const reply = (response: unknown): void => {
      send('response', { request_id: requestId, response: response === undefined ? null : response });
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

  /** The connection is gone: no response will come for the outstanding requests. */
  rejectOutstanding(): void {
    const requests = [...this.outstanding.values()];
    this.outstanding.clear();
    for (const r of requests) {
      r.reject(new RequestError(
        `ObjectSync: connection lost before "${r.serviceName}" was answered`, r.serviceName, 'connection-lost'));
    }
  }
}
