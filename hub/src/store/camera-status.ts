/** The history of each camera's status messages (online/offline, frame rate, outbox depth). */
import type { CameraStatus } from '@byliv/protocol';
import type { Db } from './database.ts';

export interface StoredStatus {
  status: CameraStatus;
  /** The hub's clock: a last-will's `at` is when the connection was made, not when it died. */
  receivedAt: string;
}

export class CameraStatusLog {
  constructor(private readonly db: Db) {}

  /** Returns false when this exact status (same camera, `at` and state) was already kept. */
  add(status: CameraStatus, receivedAt: Date): boolean {
    const result = this.db
      .prepare(
        `INSERT INTO camera_status (site, camera, state, at, received_at, payload) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(site, camera, at, state) DO NOTHING`,
      )
      .run(status.site, status.camera, status.state, status.at, receivedAt.toISOString(), JSON.stringify(status));
    return result.changes > 0;
  }

  latest(site: string, camera: string): StoredStatus | undefined {
    const row = this.db.prepare('SELECT payload, received_at FROM camera_status WHERE site = ? AND camera = ? ORDER BY id DESC LIMIT 1').get(site, camera) as
      | { payload: string; received_at: string }
      | undefined;
    return row && { status: JSON.parse(row.payload) as CameraStatus, receivedAt: row.received_at };
  }

  history(site: string, camera: string, limit = 100): StoredStatus[] {
    const rows = this.db.prepare('SELECT payload, received_at FROM camera_status WHERE site = ? AND camera = ? ORDER BY id DESC LIMIT ?').all(site, camera, limit) as {
      payload: string;
      received_at: string;
    }[];
    return rows.map((r) => ({ status: JSON.parse(r.payload) as CameraStatus, receivedAt: r.received_at }));
  }
}
