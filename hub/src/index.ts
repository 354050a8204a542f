/** @byliv/hub: ingest counts over MQTT exactly once, store them in SQLite, serve them over HTTP. */
export { createHub, hubDatabasePath, type Hub, type HubConfig, type HubAddresses } from './app.ts';
export { addCamera, createToken, type CameraCredentials } from './admin.ts';
export { createApi, openApiDocument, type ApiOptions } from './api/index.ts';
export { HubStore, type Role } from './store/index.ts';
export { Ingest, type IngestOutcome, type InboundMessage } from './ingest/index.ts';
export { EmbeddedBroker, ExternalBrokerSubscriber } from './broker/index.ts';
export { summarizeBatches, hourlyCompleteness } from './report/index.ts';
