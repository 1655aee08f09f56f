/**
 * The topics this client uses, by name: creating them, subscribing to them once the host lists
 * them in `_topicsync/topic_list`, taking their values from `init`, and letting them go.
 */
import type { Connection, Scheduler } from './connection.js';
import type { LocalChanges } from './localchanges.js';
import { isTopicTypeName, validateValue } from './model.js';
import { AnyTopic, DictTopic, TOPIC_CLASSES, Topic, TopicClass, TopicHost } from './topics.js';
import { Json, Logger, deepEqual } from './util.js';

/** An entry of `_topicsync/topic_list`. */
export interface TopicInfo {
  type: string;
  is_stateful?: boolean;
  boundary_value?: unknown;
  order_strict?: boolean;
}

export const TOPIC_LIST = '_topicsync/topic_list';

/** What the registry works with. */
export interface TopicRegistryContext {
  /** Given to every topic it creates: where the topic's changes go. */
  readonly host: TopicHost;
  readonly connection: Connection;
  /** This client's unconfirmed changes, dropped when a topic they touch starts afresh. */
  readonly local: LocalChanges;
  readonly logger: Logger;
  /** How many string changes each string topic remembers. */
  readonly stringHistoryLimit: number;
  /** Timers, for the missing-topic check. */
  readonly scheduler: Scheduler;
  /** How long a wanted topic may be missing from the host before `missingTopic` is called (not finite: never). */
  readonly missingTopicDelayMs: number;
  /** A wanted topic is still not on the host after `missingTopicDelayMs` (called once per name). */
  readonly missingTopic: (topic: AnyTopic) => void;
}

export class TopicRegistry {
  /** `_topicsync/topic_list`: topic name -> info. */
  readonly topicList: DictTopic<TopicInfo>;

  private readonly topics = new Map<string, AnyTopic>();
  private readonly warnedMissingTopics = new Set<string>();
  private readonly missingTopicTimers = new Set<unknown>();

  constructor(private readonly context: TopicRegistryContext) {
    this.topicList = this.getTopic(TOPIC_LIST, DictTopic) as DictTopic<TopicInfo>;
    this.topicList.onAdd.add((name) => this.onTopicListed(name));
    this.topicList.onPop.add((name) => this.onTopicUnlisted(name));
  }

  /**
   * The topic of that name, created (and subscribed to when possible) on first use. Without a
   * class, the type comes from the topic list (which must already know the topic).
   */
  getTopic<T extends Topic<any>>(name: string, topicType: TopicClass<T>): T;
  getTopic(name: string, topicType?: TopicClass): AnyTopic;
  getTopic(name: string, topicType?: TopicClass): AnyTopic {
    const existing = this.topics.get(name);
    if (existing !== undefined) {
      if (topicType !== undefined && !(existing instanceof topicType)) {
        throw new Error(`ObjectSync: topic "${name}" is a ${(existing as object).constructor.name}, not a ${topicType.name}`);
      }
      return existing;
    }
    let cls = topicType;
    // Undefined while the topic list itself is being created.
    const info = this.topicList === undefined ? undefined : this.topicList.get(name);
    if (cls === undefined) {
      if (info === undefined || !isTopicTypeName(info.type)) {
        throw new Error(`ObjectSync: topic "${name}" is not in the topic list; pass a topic class`);
      }
      cls = TOPIC_CLASSES[info.type];
    } else if (info !== undefined && info.type !== cls.typeName) {
      this.context.logger.warn(`ObjectSync: topic "${name}" is a ${info.type} topic on the host, used as ${cls.typeName}`);
    }
    const topic = new cls(name, this.context.host) as AnyTopic;
    topic._model.maxHistory = this.context.stringHistoryLimit;
    this.topics.set(name, topic);
    this.maybeSubscribe(topic);
    return topic;
  }

  /** The topic of that name in use, if any. */
  find(name: string): AnyTopic | undefined {
    return this.topics.get(name);
  }

  /** Stops receiving a topic; the topic object cannot be used anymore. */
  unsubscribe(topic: AnyTopic | string): void {
    const t = typeof topic === 'string' ? this.topics.get(topic) : topic;
    if (t === undefined || this.topics.get(t.name) !== t) return;
    this.topics.delete(t.name);
    if (t._subscribed && this.context.connection.sessionOpen) {
      this.context.connection.send('unsubscribe', { topic_name: t.name });
    }
    t._subscribed = false;
    t._synced = false;
    t._detached = true;
    t._settleReady();
    this.context.local.forgetEditsOf(t.name);
  }

  /** Cancels the pending missing-topic checks (the client was closed). */
  cancelTimers(): void {
    for (const handle of this.missingTopicTimers) this.context.scheduler.clearTimeout(handle);
    this.missingTopicTimers.clear();
  }

  /** A session started or ended: no topic is subscribed or in sync any more. */
  resetSession(): void {
    for (const topic of this.topics.values()) {
      topic._subscribed = false;
      topic._synced = false;
    }
  }

  /** The first subscription of a session: the others wait for the topic list's value. */
  subscribeTopicList(): void {
    this.maybeSubscribe(this.topicList);
  }

  /** The host's `init`: a subscribed topic's value (after a reconnection, possibly a new one). */
  applyInit(args: Record<string, unknown>): void {
    const name = args['topic_name'];
    if (typeof name !== 'string') return;
    const topic = this.topics.get(name);
    if (topic === undefined || topic._detached) return;
    const local = this.context.local;
    if (local.hasChangesOn(topic)) local.dropAll();
    let value = (args['value'] ?? null) as Json;
    if (topic.typeName !== 'event') {
      try {
        validateValue(topic.typeName, value);
      } catch (error) {
        this.context.logger.warn(`ObjectSync: init of "${name}" has an unexpected value`, error);
        if (value === null) value = topic._model.value;
      }
    } else {
      value = null;
    }
    const rawVersion = args['id'];
    const version = topic.typeName === 'string' && rawVersion !== undefined && rawVersion !== null
      ? String(rawVersion) : undefined;
    const oldValue = topic._model.value;
    const firstTime = !topic._everReady;
    topic._model.reset(value, version);
    topic._synced = true;
    topic._everReady = true;
    topic._subscribed = true;
    if (topic.typeName !== 'event' && (firstTime || !deepEqual(oldValue, value))) {
      topic._notifyReset(oldValue, value);
    }
    if (firstTime) topic._settleReady();
    if (topic === this.topicList) this.subscribeWanted();
  }

  /**
   * A host change could not be applied to the topic: drop the local changes and subscribe
   * again, so that a fresh `init` brings the host's value.
   */
  resync(topic: AnyTopic): void {
    this.context.local.dropAll();
    topic._synced = false;
    const connection = this.context.connection;
    if (connection.sessionOpen && topic._subscribed) {
      connection.send('unsubscribe', { topic_name: topic.name });
      connection.send('subscribe', { topic_name: topic.name });
    }
  }

  private maybeSubscribe(topic: AnyTopic): void {
    if (!this.context.connection.sessionOpen || topic._subscribed || topic._detached) return;
    if (topic !== this.topicList) {
      if (!this.topicList._synced) return;
      if (!this.topicList.has(topic.name)) {
        if (!this.warnedMissingTopics.has(topic.name)) {
          this.warnedMissingTopics.add(topic.name);
          this.context.logger.debug(`ObjectSync: topic "${topic.name}" is not on the host yet; waiting for it`);
          this.checkMissingLater(topic);
        }
        return;
      }
    }
    topic._subscribed = true;
    this.context.connection.send('subscribe', { topic_name: topic.name });
  }

  /** Reports the topic if the host still does not have it after the grace delay. */
  private checkMissingLater(topic: AnyTopic): void {
    const { scheduler, missingTopicDelayMs } = this.context;
    if (!Number.isFinite(missingTopicDelayMs)) return;
    const handle = scheduler.setTimeout(() => {
      this.missingTopicTimers.delete(handle);
      if (this.topics.get(topic.name) !== topic || topic._everReady || this.topicList.has(topic.name)) return;
      this.context.missingTopic(topic);
    }, Math.max(0, missingTopicDelayMs));
    this.missingTopicTimers.add(handle);
  }

  private subscribeWanted(): void {
    for (const topic of [...this.topics.values()]) this.maybeSubscribe(topic);
  }

  private onTopicListed(name: string): void {
    const topic = this.topics.get(name);
    if (topic !== undefined) this.maybeSubscribe(topic);
  }

  private onTopicUnlisted(name: string): void {
    const topic = this.topics.get(name);
    if (topic === undefined || topic === this.topicList) return;
    topic._subscribed = false;
    topic._synced = false;
  }
}
