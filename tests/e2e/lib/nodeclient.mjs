// A second protocol client in Node: the web client library (ES modules) over the `ws` package.
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';

const quiet = { debug() {}, info() {}, warn() {}, error: (...a) => console.error('node client:', ...a) };

/** Polls `fn` until it returns a truthy value; rejects after `timeoutMs` with `what`. */
export async function waitFor(fn, what, timeoutMs = 15000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Connects a client to `wsUrl` and waits for the session to open. */
export async function connectNodeClient(esmPath, wsUrl) {
  const lib = await import(pathToFileURL(esmPath).href);
  const client = new lib.ObjectSyncClient(wsUrl, {}, {
    socketFactory: (url) => new WebSocket(url),
    logger: quiet,
    reconnect: { enabled: false },
  });
  await waitFor(() => client.connectionState === 'open', `the node client to connect to ${wsUrl}`);
  return { client, lib };
}

/** The topic `name` of class `cls`, once its value has arrived. */
export async function readyTopic(client, name, cls) {
  const topic = client.getTopic(name, cls);
  await waitFor(() => topic.isSynced, `topic ${name}`);
  return topic;
}
