/** Messages the hub could not take, kept with the reason so an operator can see what went wrong. */
import type { SqlClient } from './sql.ts';

/** Only this much of a dead payload is kept: enough to diagnose, not a way to fill the disk. */
export const DEAD_LETTER_KEEP_BYTES = 4096;

export interface DeadLetter {
  id: number;
  receivedAt: string;
  topic: string;
  reason: string;
  sender: string | null;
  /** The first DEAD_LETTER_KEEP_BYTES of the payload. */
  payload: Buffer;
  /** The full payload size in bytes. */
  size: number;
}

interface Row {
  id: number;
  received_at: string;
  topic: string;
  reason: string;
  sender: string | null;
  payload: Buffer;
  size: number;
}

export class DeadLetters {
  constructor(private readonly sql: SqlClient) {}

  add(input: DeadLetterInput, at: Date): Promise<number> {
    return addDeadLetter(this.sql, input, at);
  }

  async count(): Promise<number> {
    return (await this.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM dead_letters'))!.n;
  }

  /** Newest first. */
  async list(limit = 100): Promise<DeadLetter[]> {
    const rows = await this.sql.all<Row>('SELECT * FROM dead_letters ORDER BY id DESC LIMIT ?', [limit]);
    return rows.map((r) => ({ id: r.id, receivedAt: r.received_at, topic: r.topic, reason: r.reason, sender: r.sender, payload: Buffer.from(r.payload), size: r.size }));
  }
}

export interface DeadLetterInput {
  topic: string;
  reason: string;
  payload: Buffer;
  sender?: string | null;
}

/** The insert itself, inside the caller's transaction (see StoreIngest); returns the new id. */
export async function addDeadLetter(tx: SqlClient, input: DeadLetterInput, at: Date): Promise<number> {
  const kept = input.payload.subarray(0, DEAD_LETTER_KEEP_BYTES);
  // Topics come from the network too; a giant one is cut like a payload.
  const topic = input.topic.length > 1024 ? `${input.topic.slice(0, 1024)}…` : input.topic;
  const row = await tx.get<{ id: number }>('INSERT INTO dead_letters (received_at, topic, reason, sender, payload, size) VALUES (?, ?, ?, ?, ?, ?) RETURNING id', [
    at.toISOString(),
    topic,
    input.reason,
    input.sender ?? null,
    kept,
    input.payload.length,
  ]);
  return row!.id;
}
