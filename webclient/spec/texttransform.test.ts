/**
 * Moving string edits over one another: moving a local edit over a host change (transformOver)
 * and the host change past the local edit (transformPast) must give the same text either way,
 * for every kind of pair, since the client keeps its unconfirmed edits on top of the host's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeDict } from '../src/index.js';
import { rebaseOver, transformOver, transformPast } from '../src/texttransform.js';

function apply(text: string, change: ChangeDict): string {
  const position = change['position'] as number;
  switch (change.type) {
    case 'set':
      return change['value'] as string;
    case 'insert':
      assert.ok(position >= 0 && position <= text.length, `insert at ${position} in "${text}"`);
      return text.slice(0, position) + (change['insertion'] as string) + text.slice(position);
    case 'delete': {
      const deletion = change['deletion'] as string;
      assert.equal(text.slice(position, position + deletion.length), deletion, `delete at ${position} in "${text}"`);
      return text.slice(0, position) + text.slice(position + deletion.length);
    }
    default:
      throw new Error(`unexpected change ${change.type}`);
  }
}

const applyAll = (text: string, changes: readonly ChangeDict[]): string => changes.reduce(apply, text);

function randomEdit(text: string, random: (n: number) => number, label: string): ChangeDict {
  const base = { topic_name: 't', topic_type: 'string' };
  const kind = random(9);
  if (kind === 0) return { ...base, type: 'set', value: `${label}${label}` };
  if (kind < 5 || text.length === 0) {
    return { ...base, type: 'insert', position: random(text.length + 1), insertion: label.repeat(1 + random(2)) };
  }
  const position = random(text.length);
  const length = 1 + random(Math.min(4, text.length - position));
  return { ...base, type: 'delete', position, deletion: text.slice(position, position + length) };
}

function seeded(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.floor((state / 2147483648) * n);
  };
}

test('a pair of concurrent edits gives the same text moved either way', () => {
  const random = seeded(7);
  for (let i = 0; i < 3000; i++) {
    const text = 'abcdefgh'.slice(0, random(9));
    const first = randomEdit(text, random, 'X');
    const later = randomEdit(text, random, 'y');
    const hostWay = applyAll(text, [first, transformOver(later, first)]);
    const localWay = applyAll(text, [later, ...transformPast(first, later)]);
    assert.equal(localWay, hostWay, `${JSON.stringify(first)} then ${JSON.stringify(later)} on "${text}"`);
  }
});

test('a host change below a chain of local edits: both orders give the same text', () => {
  const random = seeded(11);
  for (let i = 0; i < 2000; i++) {
    const text = 'abcdefgh'.slice(0, random(9));
    const host = randomEdit(text, random, 'H');
    const locals: ChangeDict[] = [];
    let local = text;
    for (let k = 0, n = 1 + random(4); k < n; k++) {
      const edit = randomEdit(local, random, String.fromCharCode(97 + k));
      if (edit.type === 'set') continue;
      locals.push(edit);
      local = apply(local, edit);
    }
    const moved = rebaseOver(locals, host);
    assert.equal(moved.length, locals.length);
    // The host's change past every local edit, one after the other.
    let past: ChangeDict[] = [host];
    let atEach = text;
    for (let k = 0; k < locals.length; k++) {
      const next: ChangeDict[] = [];
      let edit = locals[k] as ChangeDict;
      for (const f of past) {
        next.push(...transformPast(f, edit));
        edit = transformOver(edit, f);
      }
      past = next;
      atEach = apply(atEach, locals[k] as ChangeDict);
    }
    const why = `${JSON.stringify(host)} below ${JSON.stringify(locals)} on "${text}"`;
    assert.equal(applyAll(text, [host, ...moved]), applyAll(atEach, past), why);
  }
});

test('examples: typing order and deletions survive a change made elsewhere first', () => {
  const s = { topic_name: 't', topic_type: 'string' };
  const host = { ...s, type: 'insert', position: 0, insertion: '>> ' };
  const typed = [
    { ...s, type: 'insert', position: 5, insertion: 'a' },
    { ...s, type: 'insert', position: 6, insertion: 'b' },
    { ...s, type: 'delete', position: 5, deletion: 'a' },
  ];
  const moved = rebaseOver(typed, host);
  assert.deepEqual(moved.map((c) => c['position']), [8, 9, 8]);
  assert.equal(applyAll('hello', [host, ...moved]), '>> hellob');
  // A delete made elsewhere around the place typed at: the insert stays at the deletion's start.
  const deleted = { ...s, type: 'delete', position: 3, deletion: 'lo' };
  assert.deepEqual(transformOver({ ...s, type: 'insert', position: 4, insertion: 'X' }, deleted)['position'], 3);
  // Another's insert inside the range this client deletes: the deletion goes around it.
  const inside = { ...s, type: 'insert', position: 2, insertion: 'Z' };
  const past = transformPast(inside, { ...s, type: 'delete', position: 1, deletion: 'ell' });
  assert.equal(applyAll('hello', [{ ...s, type: 'delete', position: 1, deletion: 'ell' }, ...past]), 'hZllo');
});
