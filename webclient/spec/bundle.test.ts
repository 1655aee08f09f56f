/** The browser bundle: an IIFE that defines the global ObjectSync. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';

test('the IIFE bundle exposes the API on a global ObjectSync', async () => {
  const entry = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
  const result = await build({
    entryPoints: [entry], bundle: true, format: 'iife', globalName: 'ObjectSync', write: false, target: 'es2020',
  });
  const code = result.outputFiles[0]!.text;
  const context: Record<string, any> = {};
  runInNewContext(code, context);
  const api = context['ObjectSync'];
  assert.equal(typeof api, 'object');
  for (const name of ['ObjectSyncClient', 'SObject', 'Root', 'StringTopic', 'IntTopic', 'FloatTopic', 'SetTopic',
    'ListTopic', 'DictTopic', 'GenericTopic', 'EventTopic', 'RequestError']) {
    assert.equal(typeof api[name], 'function', name);
  }
  // It runs: a client with a fake socket gets through the handshake.
  const sent: string[] = [];
  const socket: Record<string, any> = { send: (d: string) => sent.push(d), close() {} };
  const client = new api.ObjectSyncClient('ws://x', {}, { socketFactory: () => socket, logger: { debug() {}, warn() {}, error() {} } });
  socket['onmessage']({ data: JSON.stringify({ type: 'hello', args: { id: 1 } }) });
  assert.equal(client.connectionState, 'open');
  assert.deepEqual(JSON.parse(sent[0]!), { type: 'subscribe', args: { topic_name: '_topicsync/topic_list' } });
  client.close();
});
