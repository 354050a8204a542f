/**
 * The address a request came from, for the sign-in throttle. The socket's peer, unless that
 * peer is a trusted reverse proxy: then the last X-Forwarded-For entry, the one the proxy
 * itself appended (entries before it are whatever the client chose to send). Trusted by
 * default: a proxy on the hub's own machine (loopback).
 */
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

export const LOOPBACK_PROXIES: readonly string[] = ['127.0.0.1', '::1', '::ffff:127.0.0.1'];

export function clientAddress(c: Context, trustedProxies: readonly string[] = LOOPBACK_PROXIES): string {
  const peer = peerAddress(c);
  if (!peer) return 'unknown'; // app.request() in tests: no socket
  if (!trustedProxies.includes(peer)) return peer;
  const forwarded = c.req.header('x-forwarded-for')?.split(',').map((s) => s.trim()).filter(Boolean);
  return forwarded?.at(-1) ?? peer;
}

function peerAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}
