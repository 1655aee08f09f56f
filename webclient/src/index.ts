/** ObjectSync web client: public API. */
export { ObjectSyncClient } from './client.js';
export type { ObjectSyncClientOptions, SObjectClass } from './client.js';
export type { ConnectionState, ReconnectOptions, Scheduler, SocketFactory, SocketLike } from './connection.js';
export { RequestError } from './requests.js';
export type { ServiceHandler } from './requests.js';
export { TOPIC_LIST } from './topicregistry.js';
export type { TopicInfo } from './topicregistry.js';
export { OBJECTS_TOPIC } from './objecttree.js';
export { SObject, Root } from './sobject.js';
export type { ObjectHost } from './sobject.js';
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
