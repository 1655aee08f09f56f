/** Requests to host services, undo/redo, and services the host calls on the client. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestError } from '../src/index.js';
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

test('a request the host answers with an error rejects with a RequestError carrying its reason', async () => {
  const host = new FakeHost();
  host.services.set('count', (args) => {
    if (typeof args['by'] !== 'number') throw new Error('argument "by" must be a whole number, not a string');
    return args['by'];
  });
  const h = makeClient();
  connect(h, host);
  const good = h.client.makeRequest('count', { by: 2 });
  const bad = h.client.makeRequest('count', { by: 'two' });
  const unknown = h.client.makeRequest('nosuch');
  const perObject = h.client.root!.makeRequest('nosuch');
  host.pump();
  assert.equal(await good, 2);
  await assert.rejects(bad, (error: unknown) => {
    assert.ok(error instanceof RequestError);
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'RequestError');
    assert.equal(error.message, 'argument "by" must be a whole number, not a string');
    assert.equal(error.serviceName, 'count');
    assert.equal(error.kind, 'refused');
    return true;
  });
  await assert.rejects(unknown, { name: 'RequestError', message: 'unknown service "nosuch"' });
  await assert.rejects(perObject, { name: 'RequestError', message: 'unknown service "root/nosuch"' });
});

test('a response of null without error resolves null; an error field fails even next to a value', async () => {
  const h = makeClient();
  connect(h, new FakeHost());
  h.socket.take();
  const ok = h.client.makeRequest('a');
  const failed = h.client.makeRequest('b');
  const [ra, rb] = h.socket.take();
  h.socket.receive('response', { request_id: ra!.args['request_id'], response: null });
  h.socket.receive('response', { request_id: rb!.args['request_id'], response: 1, error: 'no' });
  assert.equal(await ok, null);
  await assert.rejects(failed, { name: 'RequestError', message: 'no' });
});

test('a refused undo rejects with the host reason; an accepted one resolves', async () => {
  const host = new FakeHost();
  let undoable = 1;
  host.services.set('undo', () => {
    if (undoable === 0) throw new Error('nothing to undo');
    undoable -= 1;
    return null;
  });
  host.services.set('redo', () => { throw new Error('nothing to redo'); });
  const h = makeClient();
  connect(h, host);
  const first = h.client.undo();
  const second = h.client.undo();
  const redo = h.client.redo('0_3');
  host.pump();
  assert.equal(await first, null);
  await assert.rejects(second, (error: unknown) => error instanceof RequestError && error.message === 'nothing to undo'
    && error.serviceName === 'undo');
  await assert.rejects(redo, { name: 'RequestError', message: 'nothing to redo' });
});

test('a request still unanswered when the connection drops rejects with a RequestError', async () => {
  const h = makeClient();
  connect(h, new FakeHost());
  const pending = h.client.makeRequest('slow');
  h.socket.drop();
  await assert.rejects(pending, (error: unknown) => error instanceof RequestError && error.kind === 'connection-lost'
    && /connection lost/.test(error.message) && error.serviceName === 'slow');
  await assert.rejects(h.client.makeRequest('x'), (error: unknown) => error instanceof RequestError
    && error.kind === 'not-connected');
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
