/** Test support: an API app served over real HTTP on a free loopback port, as the hub serves it. */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';

export interface ServedApi {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function serveApi(app: { fetch: (request: Request, env?: unknown) => Response | Promise<Response> }): Promise<ServedApi> {
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
