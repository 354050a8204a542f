/** The `outbox` stage: a durable SQLite queue of count batches, one file per camera. */
export { Outbox, OutboxFullError, outboxPath, type OutboxBounds, type QueuedBatch } from './outbox.ts';
