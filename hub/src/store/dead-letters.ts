/** Messages the hub could not take, kept with the reason so an operator can see what went wrong. */
import type { Db } from './database.ts';

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
  constructor(private readonly db: Db) {}

  add(input: { topic: string; reason: string; payload: Buffer; sender?: string | null }, at: Date): number {
    const kept = input.payload.subarray(0, DEAD_LETTER_KEEP_BYTES);
    // Topics come from the network too; a giant one is cut like a payload.
    const topic = input.topic.length > 1024 ? `${input.topic.slice(0, 1024)}…` : input.topic;
    const result = this.db
      .prepare('INSERT INTO dead_letters (received_at, topic, reason, sender, payload, size) VALUES (?, ?, ?, ?, ?, ?)')
      .run(at.toISOString(), topic, input.reason, input.sender ?? null, kept, input.payload.length);
    return Number(result.lastInsertRowid);
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM dead_letters').get() as { n: number }).n;
  }

  /** Newest first. */
  list(limit = 100): DeadLetter[] {
    const rows = this.db.prepare('SELECT * FROM dead_letters ORDER BY id DESC LIMIT ?').all(limit) as Row[];
    return rows.map((r) => ({ id: r.id, receivedAt: r.received_at, topic: r.topic, reason: r.reason, sender: r.sender, payload: r.payload, size: r.size }));
  }
}
