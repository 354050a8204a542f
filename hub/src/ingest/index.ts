/** Ingest: one MQTT message in, one outcome out (stored, duplicate, status, dead letter, or failed). */
export { Ingest, DEFAULT_MAX_PAYLOAD_BYTES, type InboundMessage, type IngestOptions, type IngestOutcome } from './ingest.ts';
export { FloodSampler, DEAD_LETTER_FLOOD_LIMITS, type FloodLimits, type FloodReport } from './flood-sampler.ts';
