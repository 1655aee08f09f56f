/**
 * Moving string edits over one another with the host's rules (model.ts, `transformStringEdit`),
 * so that the client can keep its unconfirmed edits on top of changes the host committed first,
 * or take one of its own edits out from under later ones.
 */
import { ChangeDict, transformStringEdit } from './model.js';

/** True for a string `insert` or `delete`. */
export function isTextEdit(change: ChangeDict): boolean {
  return change.topic_type === 'string' && (change.type === 'insert' || change.type === 'delete');
}

/** The text a string edit inserts or deletes. */
export function editText(change: ChangeDict): string {
  const text = change[change.type === 'insert' ? 'insertion' : 'deletion'];
  return typeof text === 'string' ? text : '';
}

function editPosition(change: ChangeDict): number {
  const position = change['position'];
  return typeof position === 'number' ? position : 0;
}

function sameText(a: ChangeDict, b: ChangeDict): boolean {
  return a.topic_name === b.topic_name && a.topic_type === 'string' && b.topic_type === 'string';
}

/** A copy of `like` turned into an edit of `type` at `position` with `text`. */
function withEdit(like: ChangeDict, type: 'insert' | 'delete', position: number, text: string): ChangeDict {
  const change: ChangeDict = { ...like, type, position };
  delete change['insertion'];
  delete change['deletion'];
  change[type === 'insert' ? 'insertion' : 'deletion'] = text;
  return change;
}

/**
 * `later`, an edit the host applies after `first`, rewritten to apply to the text with `first`
 * done, as the host rewrites it: an insert at or before its position moves it right, a delete
 * before it moves it left, overlapping deletes lose the overlap, an insert inside a range being
 * deleted keeps the deletion from reaching it, and after a `set` the position is 0 (a delete
 * becomes empty). Anything else is returned unchanged.
 */
export function transformOver(later: ChangeDict, first: ChangeDict): ChangeDict {
  if (!sameText(later, first) || !isTextEdit(later)) return later;
  if (first.type !== 'set' && !isTextEdit(first)) return later;
  const kind = later.type as 'insert' | 'delete';
  const moved = transformStringEdit({ kind, position: editPosition(later), text: editText(later) }, [first]);
  return withEdit(later, kind, moved.position, moved.text);
}

/**
 * The other direction: `first`, which the host applies before `later` (both written against the
 * same text), rewritten to apply to the text with `later` done, so that the result is the host's
 * (first, then `later` moved over it). Gives zero, one or two changes.
 */
export function transformPast(first: ChangeDict, later: ChangeDict): ChangeDict[] {
  if (!sameText(first, later)) return [first];
  if (later.type === 'set') return []; // the set replaces whatever `first` did
  if (!isTextEdit(later)) return [first];
  if (first.type === 'set') return [first, transformOver(later, first)];
  if (!isTextEdit(first)) return [first];

  const a = editPosition(first);
  const s = editText(first);
  const b = editPosition(later);
  const t = editText(later);
  if (first.type === 'insert') {
    if (later.type === 'insert') {
      // At the same position the earlier insert stays in front.
      return [withEdit(first, 'insert', a <= b ? a : a + t.length, s)];
    }
    // `later` deletes [b, b + t.length).
    if (a <= b) return [first];
    if (a >= b + t.length) return [withEdit(first, 'insert', a - t.length, s)];
    // The host stops that deletion at the insert: the rest of the deleted text comes back with it.
    return [withEdit(first, 'insert', b, s + t.slice(a - b))];
  }

  // `first` deletes [a, a + s.length).
  if (later.type === 'insert') {
    if (a + s.length <= b) return [first];
    if (a >= b) return [withEdit(first, 'delete', a + t.length, s)];
    // The insert landed inside the deleted range: delete around it, right part first.
    return [withEdit(first, 'delete', b + t.length, s.slice(b - a)), withEdit(first, 'delete', a, s.slice(0, b - a))];
  }
  // Both delete: what `first` deletes outside of [b, b + t.length).
  const left = a < b ? s.slice(0, Math.min(a + s.length, b) - a) : '';
  const right = a + s.length > b + t.length ? s.slice(Math.max(a, b + t.length) - a) : '';
  if (left === '' && right === '') return [];
  const at = left === '' ? Math.max(a, b + t.length) - t.length : a;
  return [withEdit(first, 'delete', at, left + right)];
}

/** A change that undoes `change` as far as moving other edits goes (a `set` stays a `set`). */
export function inverseForTransform(change: ChangeDict): ChangeDict | null {
  if (change.topic_type !== 'string') return null;
  if (change.type === 'set') return { ...change, value: change['old_value'] ?? '', old_value: change['value'] };
  if (!isTextEdit(change)) return null;
  return withEdit(change, change.type === 'insert' ? 'delete' : 'insert', editPosition(change), editText(change));
}

/**
 * Moves `locals`, edits made one after another on top of a text, over `first`, a change that the
 * host applies before all of them (written against that same text). Each local edit is rewritten
 * to apply after `first` and those before it; returns the rewritten list (same length and order).
 */
export function rebaseOver(locals: readonly ChangeDict[], first: ChangeDict): ChangeDict[] {
  let firsts: ChangeDict[] = [first];
  return locals.map((local) => {
    if (!sameText(local, first)) return local;
    let moved = local;
    const next: ChangeDict[] = [];
    for (const f of firsts) {
      next.push(...transformPast(f, moved));
      moved = transformOver(moved, f);
    }
    firsts = next;
    return moved;
  });
}
