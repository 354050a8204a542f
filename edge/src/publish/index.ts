/** The `publish` stage: the outbox sent to the MQTT broker, and the camera's retained status. */
export { Publisher, type PublisherOptions, type PublisherEvent, type PublisherTls } from './publisher.ts';
export { outboundPayload, OutboundRefusedError, type OutboundSchema } from './outbound.ts';
export { cameraStatus, lastWill, type StatusReport, type StatusInput } from './status.ts';
export { brokerTls } from './broker-tls.ts';
