/** MQTT: the embedded broker (aedes, authenticated cameras, ACL) and the external-broker subscriber. */
export { EmbeddedBroker, PACKET_HEADROOM_BYTES, type EmbeddedBrokerOptions } from './embedded.ts';
export { ExternalBrokerSubscriber, type ExternalBrokerOptions } from './external.ts';
export { mayPublish, maySubscribe, type CameraIdentity } from './acl.ts';
