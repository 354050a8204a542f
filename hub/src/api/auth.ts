/**
 * Bearer tokens with roles. 401: no token, or one the hub does not know (or revoked);
 * 403: a known token whose role may not use the route.
 */
import { createMiddleware } from 'hono/factory';
import type { HubStore, Role, TokenRecord } from '../store/index.ts';
import { tokenHash } from '../auth/index.ts';
import { ApiError } from './errors.ts';

export type ApiEnv = { Variables: { token: TokenRecord } };

export function requireRole(store: HubStore, ...roles: Role[]) {
  return createMiddleware<ApiEnv>(async (c, next) => {
    const header = c.req.header('authorization');
    if (!header) throw new ApiError(401, 'unauthorized', 'missing bearer token: send "Authorization: Bearer <token>" (byliv-hub token create --role …)');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new ApiError(401, 'unauthorized', 'the Authorization header must be "Bearer <token>"');
    const token = store.tokens.byHash(tokenHash(match[1]));
    if (!token) throw new ApiError(401, 'unauthorized', 'unknown or revoked token');
    if (!roles.includes(token.role)) {
      throw new ApiError(403, 'forbidden', `this route needs the role ${roles.join(' or ')}; the token has the role ${token.role}`);
    }
    c.set('token', token);
    await next();
  });
}
