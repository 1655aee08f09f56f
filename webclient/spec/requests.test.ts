/** Requests to host services, undo/redo, and services the host calls on the client. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeHost, connect, makeClient } from './helpers.js';

test('makeRequest sends service_name, args and a unique request_id; the response resolves it', async () => {
  const host = new FakeHost();
  const h = makeClient();
  connect(h, host, 3);
  h.socket.take();
  const a = h.client.makeRequest<number>('add', { a: 1, b: 2 });
  const b = h.client.makeRequest('echo');
  const [ra, rb] = h.socket.take();
  assert.equal(ra!.type, 'request');
  assert.equal(ra!.args['service_name'], 'add');
  assert.deepEqual(ra!.args['args'], { a: 1, b: 2 });
  assert.deepEqual(rb!.args['args'], {});
  assert.notEqual(ra!.args['request_id'], rb!.args['request_id']);
  // Responses may come in any order.
  h.socket.receive('response', { request_id: rb!.args['request_id'], response: 'e' });
  h.socket.receive('response', { request_id: ra!.args['request_id'], response: 3, extra: 'ignored' });
  assert.equal(await a, 3);
  assert.equal(await b, 'e');
  // An unknown response id is ignored.
  h.socket.receive('response', { request_id: 'nope', response: 1 });
});

test('undo and redo call the host services with {id}', async () => {
  const host = new FakeHost();
  const calls: Array<[string, unknown]> = [];
  host.services.set('undo', (args) => { calls.push(['undo', args]); return null; });
  host.services.set('redo', (args) => { calls.push(['redo', args]); return null; });
  const h = makeClient();
  connect(h, host);
  const u1 = h.client.undo('0_5');
  const u2 = h.client.undo();
  const r1 = h.client.redo('0_5');
  host.pump();
  await Promise.all([u1, u2, r1]);
  assert.deepEqual(calls, [['undo', { id: '0_5' }], ['undo', { id: 'root' }], ['redo', { id: '0_5' }]]);
});

test('services registered on the client answer host requests', async () => {
  const host = new FakeHost();
  const h = makeClient();
  connect(h, host);
  h.client.registerService('sum', (args) => (args['a'] as number) + (args['b'] as number));
  h.client.registerService('later', async (args) => `got ${String(args['x'])}`);
  h.client.registerService('fails', () => { throw new Error('nope'); });
  const remove = h.client.registerService('temp', () => 1);
  remove();
  h.socket.take();
  h.socket.receive('request', { service_name: 'sum', args: { a: 2, b: 5 }, request_id: 11 });
  h.socket.receive('request', { service_name: 'later', args: { x: 'y' }, request_id: 'r2' });
  h.socket.receive('request', { service_name: 'fails', args: {}, request_id: 13 });
  h.socket.receive('request', { service_name: 'temp', args: {}, request_id: 14 });
  h.socket.receive('request', { service_name: 'missing', args: {}, request_id: 15 });
  await new Promise((resolve) => setImmediate(resolve));
  const responses = h.socket.take().filter((m) => m.type === 'response').map((m) => m.args);
  const byId = new Map(responses.map((r) => [r['request_id'], r['response']]));
  assert.equal(byId.get(11), 7);
  assert.equal(byId.get('r2'), 'got y');
  assert.equal(byId.get(13), null);
  assert.equal(byId.get(14), null);
  assert.equal(byId.get(15), null);
  assert.equal(responses.length, 5);
});

test('a service answer that comes after the connection dropped is not sent on the next connection', async () => {
  const host = new FakeHost();
  const h = makeClient();
  connect(h, host);
  let answer: (value: unknown) => void = () => {};
  h.client.registerService('slow', () => new Promise((resolve) => { answer = resolve; }));
  h.socket.receive('request', { service_name: 'slow', args: {}, request_id: 21 });
  const first = h.socket;
  first.drop();
  h.scheduler.advance(10_000);
  connect(h, host, 2);
  assert.notEqual(h.socket, first);
  h.socket.take();
  answer('too late');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(h.socket.take().filter((m) => m.type === 'response'), []);
  assert.deepEqual(first.sent.filter((m) => m.type === 'response'), []);
});
