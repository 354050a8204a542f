/** The `outbox` stage: a durable SQLite queue of count batches, one file per camera. */
export { Outbox, OutboxFullError, outboxPath, type DropReason, type OutboxBounds, type OutboxDrop, type QueuedBatch } from './outbox.ts';
