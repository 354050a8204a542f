/** The retained per-camera status message: what it says, built from plain data. */
import { PROTOCOL_VERSION, type CameraStatus } from '@byliv/protocol';

/** What the running agent reports about itself; the publisher adds who, when and the outbox. */
export type StatusReport = Omit<CameraStatus, 'v' | 'site' | 'camera' | 'state' | 'at' | 'outboxDepth' | 'outboxDropped'>;

export interface StatusInput {
  site: string;
  camera: string;
  state: CameraStatus['state'];
  at: Date;
  report?: StatusReport;
  outbox?: { depth: number; dropped: number };
  message?: string;
}

export function cameraStatus(input: StatusInput): CameraStatus {
  const status: CameraStatus = {
    ...input.report,
    v: PROTOCOL_VERSION,
    site: input.site,
    camera: input.camera,
    state: input.state,
    at: input.at.toISOString(),
  };
  if (input.outbox) {
    status.outboxDepth = input.outbox.depth;
    status.outboxDropped = input.outbox.dropped;
  }
  if (input.message !== undefined) status.message = input.message;
  return status;
}

/**
 * The last-will: the broker publishes it, retained, when the connection dies without a clean
 * DISCONNECT. It is fixed when the connection is made, so `at` is that moment, not the moment
 * of the loss; the message says so, and the hub should use its own receive time.
 */
export function lastWill(site: string, camera: string, connectedAt: Date): CameraStatus {
  return cameraStatus({
    site,
    camera,
    state: 'offline',
    at: connectedAt,
    message: 'connection lost without a goodbye (last will); "at" is when that connection was made',
  });
}
