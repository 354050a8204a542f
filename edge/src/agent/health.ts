/**
 * The agent's health endpoint: `GET /health` on loopback answers, per camera, how many frames
 * it has read, at what rate, the wall time of its last frame and how many batches wait for
 * the broker. Off unless a port is given; it binds to 127.0.0.1 only, since the box's
 * operator (or a watchdog) asks from the box itself, and nothing here is for the network.
 */
import { createServer, type Server } from 'node:http';

export type CameraState = 'starting' | 'running' | 'draining' | 'ended' | 'failed';

export interface CameraHealth {
  site: string;
  camera: string;
  state: CameraState;
  frames: number;
  /** Frames per second since the camera started counting. */
  fps: number;
  /** Wall time (ISO 8601) of the last frame counted. */
  lastFrameAt?: string;
  /** Batches in the outbox awaiting the broker; absent without a broker. */
  queued?: number;
  /** Why the camera stopped, when it failed. */
  error?: string;
}

export interface HealthReport {
  /** True while every camera is starting, running or draining. */
  ok: boolean;
  cameras: CameraHealth[];
}

export function healthReport(cameras: readonly CameraHealth[]): HealthReport {
  return {
    ok: cameras.every((c) => c.state !== 'failed' && c.state !== 'ended'),
    cameras: cameras.map((c) => ({ ...c, fps: Math.round(c.fps * 100) / 100 })),
  };
}

export const HEALTH_HOST = '127.0.0.1';

/** Listens on 127.0.0.1:`port` (0 picks a free one); resolves once listening. */
export async function startHealthServer(port: number, report: () => HealthReport): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url !== '/health' && req.url !== '/healthz')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found: the agent answers GET /health' }));
      return;
    }
    const body = report();
    res.writeHead(body.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(new Error(`cannot serve the health endpoint on ${HEALTH_HOST}:${port}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : error.message}`)));
    server.listen(port, HEALTH_HOST, resolve);
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
