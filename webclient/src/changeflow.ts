/**
 * The way changes flow: the page's changes are applied at once and grouped into actions (see
 * LocalChanges for how they wait for the host), the host's `update` and `reject` messages are
 * applied on top of them, and changes that listeners make while the client is busy applying
 * something are postponed until it is done.
 */
import type { Connection } from './connection.js';
import { LocalChange, LocalChanges } from './localchanges.js';
import { AppliedChange, ChangeDict } from './model.js';
import type { AnyTopic } from './topics.js';
import type { TopicRegistry } from './topicregistry.js';
import { Action, Logger, deepCopy, hasOwn, isPlainObject } from './util.js';

interface Recording {
  actionId: string;
  changes: LocalChange[];
}

/** What the change flow works with. */
export interface ChangeFlowContext {
  readonly connection: Connection;
  readonly topics: TopicRegistry;
  readonly local: LocalChanges;
  readonly logger: Logger;
  /** A fresh id for actions, changes and string versions. */
  newId(): string;
}

export class ChangeFlow {
  /** Fired when the host refuses an action: (reason, action id if the host named it). */
  readonly onReject = new Action<[string, string | undefined]>();

  private recording: Recording | null = null;
  private deferDepth = 0;
  private deferred: Array<() => void> = [];

  constructor(private readonly context: ChangeFlowContext) {}

  /**
   * Runs `fn` and sends every change it makes (and the changes listeners make in reaction) as
   * one action. If `fn` throws, its changes are rolled back and nothing is sent.
   */
  record(fn: () => void): void {
    if (this.recording !== null) {
      fn();
      return;
    }
    if (this.deferDepth > 0) {
      this.deferred.push(() => this.record(fn));
      return;
    }
    const rec: Recording = { actionId: this.context.newId(), changes: [] };
    this.recording = rec;
    try {
      fn();
    } catch (error) {
      this.recording = null;
      this.withDeferral(() => this.context.local.discard(rec.changes));
      throw error;
    }
    this.recording = null;
    if (rec.changes.length > 0) this.context.local.submit(rec.actionId, rec.changes);
  }

  /** Applies a change a topic's mutator made, as part of the current action (or a new one). */
  submit(topic: AnyTopic, partial: { type: string; [field: string]: unknown }): void {
    if (this.deferDepth > 0) {
      this.deferred.push(() => this.submit(topic, partial));
      return;
    }
    if (topic._detached || this.context.topics.find(topic.name) !== topic) {
      throw new Error(`ObjectSync: topic "${topic.name}" was released and cannot be changed`);
    }
    if (!this.context.connection.sessionOpen) {
      throw new Error(`ObjectSync: cannot change "${topic.name}": not connected`);
    }
    if (!topic._synced) {
      throw new Error(`ObjectSync: cannot change "${topic.name}": its value has not arrived yet`);
    }
    this.record(() => {
      const rec = this.recording as Recording;
      const change: ChangeDict = {
        topic_name: topic.name, topic_type: topic.typeName, ...partial, id: this.context.newId(),
      };
      if (topic.typeName === 'string') {
        if (partial.type === 'insert' || partial.type === 'delete') {
          change['topic_version'] = topic._model.version;
          change['result_topic_version'] = this.context.newId();
        } else if (partial.type === 'set') {
          change['result_topic_version'] = change.id;
        }
      }
      const applied = topic._model.apply(change);
      const wire: ChangeDict = deepCopy(change);
      if (hasOwn(applied.change, 'old_value')) wire['old_value'] = applied.change['old_value'];
      rec.changes.push({ actionId: rec.actionId, topic, command: wire, change: applied.change, applied });
      topic._notifyApplied(applied);
    });
  }

  /**
   * Runs `fn` while changes made by listeners are postponed; they run (as their own actions)
   * right after the outermost such block, on the state the host's message left.
   */
  withDeferral(fn: () => void): void {
    this.deferDepth += 1;
    try {
      fn();
    } finally {
      this.deferDepth -= 1;
    }
    if (this.deferDepth === 0) this.flushDeferred();
  }

  /** The host's `update`: its changes, some of which may confirm ours. */
  applyUpdate(args: Record<string, unknown>): void {
    const changes = args['changes'];
    if (!Array.isArray(changes)) return;
    const rawActionId = args['action_id'];
    const actionId = rawActionId === undefined || rawActionId === null ? '' : String(rawActionId);
    const local = this.context.local;
    local.answering(actionId);
    for (const change of changes) this.applyHostChange(change, actionId);
    local.settle(actionId);
    local.flushHeld();
    this.reportDroppedActions();
  }

  /** The host's `reject`: it refused one of our actions (or, without an action id, all pending ones). */
  applyReject(args: Record<string, unknown>): void {
    const reason = typeof args['reason'] === 'string' ? args['reason'] : String(args['reason'] ?? '');
    const rawId = args['action_id'];
    const actionId = typeof rawId === 'string' ? rawId : undefined;
    this.context.local.reject(actionId);
    this.context.local.flushHeld();
    this.context.logger.warn(`ObjectSync: the host refused an action: ${reason}`);
    this.onReject.invoke(reason, actionId);
    this.reportDroppedActions();
  }

  private applyHostChange(change: unknown, actionId: string): void {
    const logger = this.context.logger;
    if (!isPlainObject(change)) {
      logger.warn('ObjectSync: ignoring a change that is not an object');
      return;
    }
    if (this.context.local.confirm(change, actionId)) return;
    // The host committed this before our pending changes: they make way for it (localchanges.ts).
    const name = change['topic_name'];
    let topic = typeof name === 'string' ? this.context.topics.find(name) : undefined;
    if (topic !== undefined && (!topic._synced || (topic.typeName === 'event' && change['type'] === 'reversed_emit'))) {
      topic = undefined;
    }
    let failed = false;
    this.context.local.hostChange(change, topic, () => {
      if (topic === undefined) return null;
      let applied: AppliedChange;
      try {
        applied = topic._model.apply(change);
      } catch (error) {
        logger.error(`ObjectSync: cannot apply the host's change to "${topic.name}"; resynchronizing it`, error);
        failed = true;
        return null;
      }
      topic._notifyApplied(applied);
      return applied;
    });
    if (failed && topic !== undefined) this.context.topics.resync(topic);
  }

  /** Held actions that no longer applied after the host's changes are reported as refused. */
  private reportDroppedActions(): void {
    for (const { actionId, reason } of this.context.local.takeDropped()) {
      this.context.logger.warn(`ObjectSync: an action was dropped before it was sent: ${reason}`);
      this.onReject.invoke(reason, actionId);
    }
  }

  private flushDeferred(): void {
    while (this.deferred.length > 0 && this.deferDepth === 0) {
      const task = this.deferred.shift() as () => void;
      try {
        task();
      } catch (error) {
        this.context.logger.error('ObjectSync: a change made by a listener failed', error);
      }
    }
  }
}
