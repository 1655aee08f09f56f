/**
 * This client's changes that the host has not confirmed yet, and how they stay on top of what
 * the host commits.
 *
 * Every topic's model holds the host's state with this client's changes on top: first those
 * sent (pending), then those held back (held), each in the order they were made.
 *
 * - A host change carrying the action id and change id of the oldest pending change confirms
 *   it (for a string edit the host had to move: its id + "_adjust", with the position and
 *   text predicted here). Nothing moves.
 * - Any other host change was committed before the pending ones: the local changes of its
 *   topic are taken off, the host's change is applied, and they are put back on top, string
 *   edits moved over it the way the host will move them. An action with a change that no
 *   longer applies is dropped whole: a sent one is going to be refused by the host, a held one
 *   is reported as refused here.
 * - When the host does something this client did not predict (one of its changes comes back
 *   different or out of order, a reject does not name its action), every pending change is
 *   dropped and the host's updates bring the truth; held changes stay, moved as if the dropped
 *   ones had never been made.
 * - The host reads a string edit against the version it names. An edit made on top of this
 *   client's own unanswered edit of the same topic would name a version the host may reach
 *   differently (it moves the first edit over another client's), so its action is held until
 *   the earlier action is answered, then sent against a version the host confirmed. Actions
 *   made after a held one wait behind it, so that the host gets them in the order made.
 * - A refused action is dropped; the changes made after it stay, moved as if it had never been
 *   made (held ones are then sent as usual).
 */
import { AppliedChange, ChangeDict } from './model.js';
import { editText, inverseForTransform, isTextEdit, rebaseOver, transformOver } from './texttransform.js';
import type { AnyTopic } from './topics.js';
import { Logger, deepCopy } from './util.js';

/** One change made by this client and not confirmed yet. */
export interface LocalChange {
  readonly actionId: string;
  readonly topic: AnyTopic;
  /** As sent (pending), or as it will be sent (held: kept up to date). */
  command: ChangeDict;
  /** As it applies to what is below it now (string edits move over the host's changes). */
  change: ChangeDict;
  /** What it did to the topic's model; null while it is taken off. */
  applied: AppliedChange | null;
}

interface HeldAction {
  readonly actionId: string;
  readonly changes: LocalChange[];
}

/** What the owner of the local changes provides. */
export interface LocalChangesOwner {
  sendAction(actionId: string, commands: ChangeDict[]): void;
  readonly logger: Logger;
}

/** A held action dropped because it no longer applies. */
export interface DroppedAction {
  readonly actionId: string;
  readonly reason: string;
}

const ADJUST_SUFFIX = '_adjust';
/** Answers to actions older than this many are not awaited any more. */
const MAX_IN_FLIGHT = 100000;

function sameEdit(a: ChangeDict, b: Record<string, unknown>): boolean {
  const field = a.type === 'insert' ? 'insertion' : 'deletion';
  return a['position'] === b['position'] && a[field] === b[field];
}

export class LocalChanges {
  private pending: LocalChange[] = [];
  private held: HeldAction[] = [];
  /** Actions sent and not answered yet, oldest first. */
  private inFlight: string[] = [];
  /** String topic name -> the unanswered action that edits it. */
  private readonly editsInFlight = new Map<string, string>();
  private dropped: DroppedAction[] = [];

  constructor(private readonly owner: LocalChangesOwner) {}

  /** Changes not confirmed yet, sent or held. */
  get count(): number {
    return this.pending.length + this.heldCount;
  }

  /** Changes made but not sent yet. */
  get heldCount(): number {
    let n = 0;
    for (const h of this.held) n += h.changes.length;
    return n;
  }

  hasChangesOn(topic: AnyTopic): boolean {
    return this.stack().some((c) => c.topic === topic);
  }

  /** Held actions dropped since the last call (to be reported as refused). */
  takeDropped(): DroppedAction[] {
    return this.dropped.splice(0);
  }

  /** A finished action (its changes applied to the models): sent, or held behind an earlier edit. */
  submit(actionId: string, changes: LocalChange[]): void {
    if (this.held.length === 0 && !this.isBlocked(changes)) this.send(actionId, changes);
    else this.held.push({ actionId, changes });
  }

  /** Takes off changes that were never submitted (a failed record()), newest first. */
  discard(changes: readonly LocalChange[]): void {
    for (let i = changes.length - 1; i >= 0; i--) this.unapply(changes[i] as LocalChange);
  }

  /** True (and forgets it) if `change` confirms the oldest pending change. */
  confirm(change: Record<string, unknown>, actionId: string): boolean {
    const p = this.pending[0];
    if (p === undefined || p.actionId !== actionId) return false;
    if (change['topic_name'] !== p.topic.name || change['type'] !== p.command.type) return false;
    const id = change['id'];
    let ok: boolean;
    if (id === p.command.id) ok = !isTextEdit(p.command) || sameEdit(p.change, change);
    else ok = isTextEdit(p.command) && id === `${String(p.command.id)}${ADJUST_SUFFIX}` && sameEdit(p.change, change);
    if (ok) this.pending.shift();
    return ok;
  }

  /**
   * A host change that confirms nothing: `apply` applies it to `topic` (undefined when it is not
   * applied here) and returns what it did, or null if it could not.
   */
  hostChange(change: Record<string, unknown>, topic: AnyTopic | undefined, apply: () => AppliedChange | null): void {
    // One of ours, but not as predicted: stop predicting, the host's updates bring the truth.
    const dropped = this.isOwn(change) ? [...this.pending] : [];
    const from = [...dropped];
    const firstOnTopic = topic === undefined ? undefined : this.stack().find((c) => c.topic === topic);
    if (firstOnTopic !== undefined) from.push(firstOnTopic);
    this.takeOffFrom(from);
    this.remove(dropped);
    const applied = apply();
    if (applied !== null && topic !== undefined) this.moveOver(topic, applied.change);
    this.putOn();
  }

  /**
   * The host refused `actionId`: its changes are dropped. Without an id (the original host does
   * not say which action it refused: the oldest unanswered one) every pending change is dropped.
   */
  reject(actionId: string | undefined): void {
    const dropped = actionId === undefined ? [...this.pending] : this.pending.filter((p) => p.actionId === actionId);
    const answered = actionId ?? this.inFlight[0];
    this.takeOffFrom(dropped);
    this.remove(dropped);
    this.putOn();
    if (answered !== undefined) this.settle(answered);
  }

  /**
   * An update carrying `actionId` is about to be applied: the host answers actions in order, so
   * the actions sent before it were answered already, and their changes that did not come back
   * (the host did not send them to this client) are not awaited any more.
   */
  answering(actionId: string): void {
    const index = this.inFlight.indexOf(actionId);
    if (index > 0) this.settle(this.inFlight[index - 1] as string);
  }

  /**
   * The host answered `actionId` (an update carrying it, or a reject), and every action sent
   * before it. Their changes that did not come back are dropped. Returns false for an id not
   * awaited.
   */
  settle(actionId: string): boolean {
    const index = this.inFlight.indexOf(actionId);
    if (index < 0) return false;
    const done = new Set(this.inFlight.splice(0, index + 1));
    for (const [topicName, action] of [...this.editsInFlight]) {
      if (done.has(action)) this.editsInFlight.delete(topicName);
    }
    const unanswered = this.pending.filter((p) => done.has(p.actionId));
    if (unanswered.length > 0) {
      this.owner.logger.debug('ObjectSync: an action was answered without all of its changes; dropping them');
      this.takeOffFrom(unanswered);
      this.remove(unanswered);
      this.putOn();
    }
    return true;
  }

  /**
   * The topic is not followed any more: its answers may not reach this client, so later edits
   * of a topic of that name do not wait for them.
   */
  forgetEditsOf(topicName: string): void {
    this.editsInFlight.delete(topicName);
  }

  /** Sends the held actions that nothing blocks any more, in order. */
  flushHeld(): void {
    while (this.held.length > 0) {
      const next = this.held[0] as HeldAction;
      if (this.isBlocked(next.changes)) return;
      this.held.shift();
      this.send(next.actionId, next.changes);
    }
  }

  /**
   * Rolls back every local change, newest first, and forgets them; the host's updates bring the
   * truth. Sent actions are still awaited: a later edit of the same text waits for their answer.
   */
  dropAll(): void {
    this.takeOffFrom(this.stack());
    this.pending = [];
    this.held = [];
  }

  /** Like dropAll(), and nothing is awaited any more (the connection is gone). */
  reset(): void {
    this.dropAll();
    this.inFlight = [];
    this.editsInFlight.clear();
  }

  // ---------------------------------------------------------------- internals

  /** Every local change in the order they sit on the models: pending, then held. */
  private stack(): LocalChange[] {
    const all = [...this.pending];
    for (const h of this.held) all.push(...h.changes);
    return all;
  }

  private isBlocked(changes: readonly LocalChange[]): boolean {
    return changes.some((c) => isTextEdit(c.command) && this.editsInFlight.has(c.topic.name));
  }

  private isOwn(change: Record<string, unknown>): boolean {
    const id = change['id'];
    return this.pending.some((p) => id === p.command.id || id === `${String(p.command.id)}${ADJUST_SUFFIX}`);
  }

  private send(actionId: string, changes: LocalChange[]): void {
    for (const c of changes) {
      this.pending.push(c);
      if (isTextEdit(c.command)) this.editsInFlight.set(c.topic.name, actionId);
    }
    this.inFlight.push(actionId);
    if (this.inFlight.length > MAX_IN_FLIGHT) {
      const forgotten = this.inFlight.shift();
      for (const [topicName, action] of [...this.editsInFlight]) {
        if (action === forgotten) this.editsInFlight.delete(topicName);
      }
    }
    this.owner.sendAction(actionId, this.commandsToSend(changes));
  }

  /**
   * The commands of an action. A later edit of a text this action edits already is sent against
   * the version the first edit names, written as if the action's earlier edits were not made
   * yet: the host then moves it over what it committed since and over those edits, as it moves
   * the first one (against the version the first edit produced here, the host would read it
   * wrongly when it had to move the first edit). When that form does not give back exactly the
   * edit made (it depends on text the action inserted), the edit is sent as made.
   */
  private commandsToSend(changes: readonly LocalChange[]): ChangeDict[] {
    const firsts = new Map<string, { version: unknown; edits: ChangeDict[] }>();
    return changes.map((c) => {
      const name = c.topic.name;
      if (c.command.topic_type === 'string' && c.command.type === 'set') firsts.delete(name);
      if (!isTextEdit(c.command)) return deepCopy(c.command);
      const earlier = firsts.get(name);
      if (earlier === undefined) {
        firsts.set(name, { version: c.command['topic_version'], edits: [c.change] });
        return deepCopy(c.command);
      }
      let early = c.change;
      for (let j = earlier.edits.length - 1; j >= 0; j--) {
        const undo = inverseForTransform(earlier.edits[j] as ChangeDict);
        if (undo !== null) early = transformOver(early, undo);
      }
      let back = early;
      for (const edit of earlier.edits) back = transformOver(back, edit);
      earlier.edits.push(c.change);
      if (back['position'] !== c.change['position'] || editText(back) !== editText(c.change)) {
        return deepCopy(c.command);
      }
      const field = c.command.type === 'insert' ? 'insertion' : 'deletion';
      c.command = {
        ...c.command, topic_version: earlier.version, position: early['position'], [field]: editText(early),
      };
      return deepCopy(c.command);
    });
  }

  private unapply(c: LocalChange): void {
    const applied = c.applied;
    if (applied === null) return;
    c.applied = null;
    c.topic._model.rollback(applied);
    if (!c.topic._detached) c.topic._notifyRolledBack(applied);
  }

  /**
   * Takes off, newest first, every local change that sits on or above one of `from` on the same
   * topic. Changes of event topics stay: an emission has nothing to take back.
   */
  private takeOffFrom(from: readonly LocalChange[]): void {
    if (from.length === 0) return;
    const all = this.stack();
    const lowest = new Map<AnyTopic, number>();
    for (const c of from) {
      const index = all.indexOf(c);
      const known = lowest.get(c.topic);
      if (index >= 0 && (known === undefined || index < known)) lowest.set(c.topic, index);
    }
    for (let i = all.length - 1; i >= 0; i--) {
      const c = all[i] as LocalChange;
      const start = lowest.get(c.topic);
      if (start !== undefined && i >= start && c.topic.typeName !== 'event') this.unapply(c);
    }
  }

  /**
   * Forgets changes (taken off already): the string edits above each one are moved as if it
   * had never been made.
   */
  private remove(changes: readonly LocalChange[]): void {
    if (changes.length === 0) return;
    const gone = new Set(changes);
    const all = this.stack();
    for (let i = all.length - 1; i >= 0; i--) {
      const c = all[i] as LocalChange;
      if (!gone.has(c)) continue;
      const undo = inverseForTransform(c.change);
      if (undo === null) continue;
      const above = all.slice(i + 1).filter((x) => x.topic === c.topic && !gone.has(x));
      const moved = rebaseOver(above.map((x) => x.change), undo);
      above.forEach((x, k) => {
        x.change = moved[k] as ChangeDict;
      });
    }
    this.pending = this.pending.filter((p) => !gone.has(p));
    this.held = this.held
      .map((h) => ({ actionId: h.actionId, changes: h.changes.filter((c) => !gone.has(c)) }))
      .filter((h) => h.changes.length > 0);
  }

  /** Moves the local changes of `topic` (taken off) over a change the host applied below them. */
  private moveOver(topic: AnyTopic, hostChange: ChangeDict): void {
    const mine = this.stack().filter((c) => c.topic === topic);
    const moved = rebaseOver(mine.map((c) => c.change), hostChange);
    mine.forEach((c, k) => {
      c.change = moved[k] as ChangeDict;
    });
  }

  /**
   * Puts back, in order, every change that is taken off. An action with a change that no
   * longer applies is dropped whole, as the host would refuse it.
   */
  private putOn(): void {
    for (;;) {
      const heldChanges = new Set(this.held.flatMap((h) => h.changes));
      let failed: LocalChange | undefined;
      for (const c of this.stack()) {
        if (c.applied !== null) continue;
        if (!this.reapply(c, heldChanges.has(c))) {
          failed = c;
          break;
        }
      }
      if (failed === undefined) return;
      const actionId = failed.actionId;
      const action = this.stack().filter((c) => c.actionId === actionId);
      this.takeOffFrom(action);
      this.remove(action);
      if (heldChanges.has(failed)) {
        const reason = `the action no longer applies to "${failed.topic.name}" after changes from the host`;
        this.owner.logger.debug(`ObjectSync: held action ${actionId} dropped: ${reason}`);
        this.dropped.push({ actionId, reason });
      } else {
        this.owner.logger.debug(`ObjectSync: action ${actionId} no longer applies; expecting its rejection`);
      }
    }
  }

  private reapply(c: LocalChange, isHeld: boolean): boolean {
    const model = c.topic._model;
    // String edits apply as predicted, on top of what is below them now; anything else as
    // the host will apply it.
    const edit = isTextEdit(c.command);
    const change: ChangeDict = edit ? { ...c.change, topic_version: model.version } : deepCopy(c.command);
    let applied: AppliedChange;
    try {
      applied = model.apply(change);
    } catch {
      return false;
    }
    c.applied = applied;
    c.change = applied.change;
    if (isHeld && edit) {
      const field = c.command.type === 'insert' ? 'insertion' : 'deletion';
      c.command = {
        ...c.command,
        topic_version: applied.change['topic_version'],
        position: applied.change['position'],
        [field]: applied.change[field],
      };
    }
    if (!c.topic._detached) c.topic._notifyApplied(applied);
    return true;
  }
}
