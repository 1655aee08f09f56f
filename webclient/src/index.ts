/** ObjectSync web client: public API. */
export { ObjectSyncClient, TOPIC_LIST, OBJECTS_TOPIC } from './client.js';
export type {
  ConnectionState, ObjectSyncClientOptions, ReconnectOptions, Scheduler, ServiceHandler,
  SocketFactory, SocketLike, TopicInfo,
} from './client.js';
export { SObject, Root } from './sobject.js';
export type { SObjectClass } from './sobject.js';
export {
  Topic, GenericTopic, StringTopic, IntTopic, FloatTopic, SetTopic, ListTopic, DictTopic, EventTopic,
  TOPIC_CLASSES, TopicDetachedError,
} from './topics.js';
export type { TopicClass, TopicHost } from './topics.js';
export {
  TopicModel, InvalidChangeError, UnknownChangeTypeError, TOPIC_TYPE_NAMES, defaultValue, validateValue,
  transformStringEdit, isTopicTypeName,
} from './model.js';
export type { AppliedChange, ChangeDict, TopicTypeName } from './model.js';
export { Action, deepEqual, deepCopy, setHandlerErrorReporter } from './util.js';
export type { Json, JsonObject, Logger } from './util.js';
