/**
 * What ingest writes, applied as a group: messages that arrive together share one
 * transaction (with synchronous=FULL, one disk sync for the group instead of one per batch),
 * each in its own savepoint, so one bad write does not take the others with it.
 */
import type { CameraStatus, CountBatch } from '@byliv/protocol';
import type { SqlClient } from './sql.ts';
import { insertBatch, type InsertOutcome } from './batches.ts';
import { addStatus } from './camera-status.ts';
import { addDeadLetter, type DeadLetterInput } from './dead-letters.ts';

export type IngestWrite = { kind: 'batch'; batch: CountBatch } | { kind: 'status'; status: CameraStatus } | { kind: 'dead-letter'; letter: DeadLetterInput };

export type IngestWriteResult =
  | { kind: 'batch'; outcome: InsertOutcome }
  | { kind: 'status'; kept: boolean }
  | { kind: 'dead-letter'; id: number }
  /** This write failed and was rolled back; the others of the group stand. */
  | { kind: 'failed'; error: Error };

export class IngestWrites {
  constructor(private readonly sql: SqlClient) {}

  /** One result per write, in order. Throws when the group's commit fails: then nothing of it is stored. */
  apply(writes: readonly IngestWrite[], receivedAt: Date): Promise<IngestWriteResult[]> {
    return this.sql.transaction(async (tx) => {
      const results: IngestWriteResult[] = [];
      for (const write of writes) {
        try {
          results.push(await tx.transaction((sp) => applyOne(sp, write, receivedAt)));
        } catch (error) {
          results.push({ kind: 'failed', error: error instanceof Error ? error : new Error(String(error)) });
        }
      }
      return results;
    });
  }
}

async function applyOne(tx: SqlClient, write: IngestWrite, receivedAt: Date): Promise<IngestWriteResult> {
  switch (write.kind) {
    case 'batch':
      return { kind: 'batch', outcome: await insertBatch(tx, write.batch, receivedAt) };
    case 'status':
      return { kind: 'status', kept: await addStatus(tx, write.status, receivedAt) };
    case 'dead-letter':
      return { kind: 'dead-letter', id: await addDeadLetter(tx, write.letter, receivedAt) };
  }
}
