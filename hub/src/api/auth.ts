/**
 * Who is calling: a bearer token (scripts, researchers' tools) or a signed-in user's session
 * cookie (the dashboard). 401: neither, or one the hub does not know (revoked token, expired or
 * signed-out session, disabled user); 403: a known caller whose role may not use the route, or
 * a cookie request that changes state from another origin (CSRF).
 */
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { getCookie } from 'hono/cookie';
import type { HubStore, Role } from '../store/index.ts';
import type { AuditActor } from '../store/tokens.ts';
import { tokenHash } from '../auth/index.ts';
import { ApiError } from './errors.ts';

/** The caller of a route, for role checks and for the audit log. */
export interface Principal {
  kind: 'token' | 'user';
  /** The API token's id (kind token), else null. */
  tokenId: number | null;
  /** The signed-in user (kind user), else null. */
  username: string | null;
  role: Role;
}

/**
 * `clock` is the API's own (createApi sets it for every request): it decides whether a session
 * has expired. `jsonBody` names a route's JSON body in its 400s (set by contract.ts's jsonBodyOf).
 */
export type ApiEnv = { Variables: { principal: Principal; clock: () => Date; jsonBody?: string } };

export const SESSION_COOKIE = 'byliv_session';

/** What the audit log records about the caller. */
export const auditActor = (p: Principal): AuditActor => ({ tokenId: p.tokenId, username: p.username, role: p.role });

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for cookie-authenticated requests that change state. The cookie is
 * SameSite=Strict, so browsers do not send it cross-site at all; on top of that, an Origin
 * header (browsers send it on every POST/PUT/DELETE) must name this host, and a browser's
 * Sec-Fetch-Site must not say the request came from another site. A request with neither
 * header is not from a modern browser and cannot be forged by a web page.
 */
export function checkSameOrigin(c: Context): void {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new ApiError(403, 'forbidden', `cross-site request refused (Sec-Fetch-Site: ${site}): change data from the dashboard of this hub, or use a bearer token`);
  }
  const origin = c.req.header('origin');
  if (origin === undefined) return;
  // Host as the client sent it (app.request() in tests has no Host header, only the URL), or as
  // a reverse proxy forwards it: a web page on another site cannot set X-Forwarded-Host, since
  // a custom header needs a CORS preflight that this hub never grants.
  const host = c.req.header('host') ?? new URL(c.req.url).host;
  const forwarded = c.req.header('x-forwarded-host')?.split(',')[0].trim();
  let originHost: string | null = null;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = null;
  }
  if (originHost === null || (originHost !== host && originHost !== forwarded)) {
    throw new ApiError(403, 'forbidden', `cross-origin request refused: Origin ${origin} is not this hub (${host}); change data from the dashboard of this hub, or use a bearer token`);
  }
}

/** The signed-in user of the request's session cookie, if it is live. */
export async function sessionPrincipal(store: HubStore, c: Context, at: Date): Promise<Principal | undefined> {
  const value = getCookie(c, SESSION_COOKIE);
  if (!value) return undefined;
  const session = await store.sessions.lookup(tokenHash(value), at);
  return session && { kind: 'user', tokenId: null, username: session.username, role: session.role };
}

async function authenticate(store: HubStore, c: Context, clock: () => Date): Promise<Principal> {
  const header = c.req.header('authorization');
  if (header !== undefined) {
    // An explicit token wins over a cookie; it cannot be forged cross-site, so no CSRF check.
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new ApiError(401, 'unauthorized', 'the Authorization header must be "Bearer <token>"');
    const token = await store.tokens.byHash(tokenHash(match[1]));
    if (!token) throw new ApiError(401, 'unauthorized', 'unknown or revoked token');
    return { kind: 'token', tokenId: token.id, username: null, role: token.role };
  }
  if (getCookie(c, SESSION_COOKIE) === undefined) {
    throw new ApiError(401, 'unauthorized', 'not signed in: sign in (POST /api/v1/session) or send "Authorization: Bearer <token>" (byliv-hub token create --role …)');
  }
  const user = await sessionPrincipal(store, c, clock());
  if (!user) throw new ApiError(401, 'unauthorized', 'the session has ended (signed out, expired or the user was disabled): sign in again');
  if (!SAFE_METHODS.has(c.req.method)) checkSameOrigin(c);
  return user;
}

export function requireRole(store: HubStore, ...roles: Role[]) {
  return createMiddleware<ApiEnv>(async (c, next) => {
    const principal = await authenticate(store, c, c.get('clock') ?? (() => new Date()));
    if (!roles.includes(principal.role)) {
      const who = principal.kind === 'token' ? 'the token has' : `${principal.username} has`;
      throw new ApiError(403, 'forbidden', `this route needs the role ${roles.join(' or ')}; ${who} the role ${principal.role}`);
    }
    c.set('principal', principal);
    await next();
  });
}
