/** The history of each camera's status messages (online/offline, frame rate, outbox depth). */
import type { CameraStatus } from '@byliv/protocol';
import type { SqlClient } from './sql.ts';

export interface StoredStatus {
  status: CameraStatus;
  /** The hub's clock: a last-will's `at` is when the connection was made, not when it died. */
  receivedAt: string;
}

export class CameraStatusLog {
  constructor(private readonly sql: SqlClient) {}

  /** Returns false when this exact status (same camera, `at` and state) was already kept. */
  add(status: CameraStatus, receivedAt: Date): Promise<boolean> {
    return addStatus(this.sql, status, receivedAt);
  }

  async latest(site: string, camera: string): Promise<StoredStatus | undefined> {
    const row = await this.sql.get<{ payload: string; received_at: string }>(
      'SELECT payload, received_at FROM camera_status WHERE site = ? AND camera = ? ORDER BY id DESC LIMIT 1',
      [site, camera],
    );
    return row && { status: JSON.parse(row.payload) as CameraStatus, receivedAt: row.received_at };
  }

  async history(site: string, camera: string, limit = 100): Promise<StoredStatus[]> {
    const rows = await this.sql.all<{ payload: string; received_at: string }>(
      'SELECT payload, received_at FROM camera_status WHERE site = ? AND camera = ? ORDER BY id DESC LIMIT ?',
      [site, camera, limit],
    );
    return rows.map((r) => ({ status: JSON.parse(r.payload) as CameraStatus, receivedAt: r.received_at }));
  }
}

/** The insert itself, inside the caller's transaction (see StoreIngest). */
export async function addStatus(tx: SqlClient, status: CameraStatus, receivedAt: Date): Promise<boolean> {
  const result = await tx.run(
    `INSERT INTO camera_status (site, camera, state, at, received_at, payload) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(site, camera, at, state) DO NOTHING`,
    [status.site, status.camera, status.state, status.at, receivedAt.toISOString(), JSON.stringify(status)],
  );
  return result.changes > 0;
}
