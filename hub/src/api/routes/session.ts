/**
 * Sign-in sessions for the dashboard, and the admin's users, tokens and cameras.
 *
 * A session is 32 random bytes in the cookie `byliv_session` (HttpOnly, SameSite=Strict,
 * Path=/, Secure when the hub is served over HTTPS); the database keeps only their sha256.
 * Lifetime: an absolute 12 hours from sign-in (a working day), not sliding: a stolen cookie is
 * worth at most 12 hours whatever its thief does, and checking a session writes nothing.
 * Sign-out deletes the session; disabling a user ends all of theirs.
 */
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { Id, describeIssues } from '@byliv/protocol';
import { ROLES, type HubStore } from '../../store/index.ts';
import { PASSWORD_MAX_LENGTH, Password, Username } from '../../store/users.ts';
import { hashPassword, newPassword, tokenHash, verifyPassword } from '../../auth/index.ts';
import { addCamera, createToken } from '../../admin.ts';
import { addUser, disableUser } from '../../accounts.ts';
import { SESSION_COOKIE, auditActor, checkSameOrigin, requireRole, type ApiEnv } from '../auth.ts';
import { ApiError, badRequest, notFound } from '../errors.ts';
import { LoginThrottle } from '../login-throttle.ts';
import { jsonBody } from '../params.ts';

export const SESSION_HOURS = 12;
export const WRONG_CREDENTIALS = 'wrong username or password';

const SignIn = z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(PASSWORD_MAX_LENGTH) }).strict();
const NewUser = z.object({ username: Username, role: z.enum(ROLES), password: Password }).strict();
const NewToken = z.object({ role: z.enum(ROLES), label: z.string().min(1).max(200).optional() }).strict();
const NewCamera = z.object({ site: Id, camera: Id, name: z.string().min(1).max(200).optional() }).strict();

async function body<T extends z.ZodType>(c: Context, schema: T, what: string): Promise<z.infer<T>> {
  const parsed = schema.safeParse(await jsonBody(c.req));
  if (!parsed.success) throw badRequest(`not a valid ${what}:\n${describeIssues(parsed.error)}`);
  return parsed.data;
}

export function sessionRoutes(store: HubStore, clock: () => Date, options: { secureCookies: boolean }) {
  const app = new Hono<ApiEnv>();
  const anyRole = requireRole(store, 'admin', 'planner', 'researcher');
  const admin = requireRole(store, 'admin');
  const throttle = new LoginThrottle();
  // Unknown users are checked against this, so a wrong username takes as long as a wrong password.
  const dummyHash = hashPassword(newPassword());

  app.post('/session', async (c) => {
    checkSameOrigin(c); // no sign-in from another site's form (login CSRF)
    const input = await body(c, SignIn, 'sign-in (expected { username, password })');
    const username = input.username.trim().toLowerCase();
    const now = clock();
    const wait = throttle.retryAfterSeconds(username, now);
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      return c.json({ error: 'too_many_requests', reason: `too many wrong passwords for this username: try again in ${Math.ceil(wait / 60)} min` }, 429);
    }
    const user = store.users.credentials(username);
    const ok = await verifyPassword(input.password, user?.passwordHash ?? (await dummyHash));
    if (!user || !ok) {
      throttle.fail(username, now);
      throw new ApiError(401, 'unauthorized', WRONG_CREDENTIALS);
    }
    throttle.succeed(username);
    const value = randomBytes(32).toString('base64url');
    store.sessions.purgeExpired(now);
    store.sessions.create({ tokenHash: tokenHash(value), username: user.username, expiresAt: new Date(now.getTime() + SESSION_HOURS * 3600_000) }, now);
    store.audit.add({ tokenId: null, username: user.username, role: user.role, action: 'session.create', detail: {} }, now);
    setCookie(c, SESSION_COOKIE, value, { httpOnly: true, sameSite: 'Strict', path: '/', secure: options.secureCookies, maxAge: SESSION_HOURS * 3600 });
    return c.json({ username: user.username, role: user.role });
  });

  // With a bearer token there is no user: username null.
  app.get('/session', anyRole, (c) => {
    const p = c.get('principal');
    return c.json({ username: p.username, role: p.role });
  });

  app.delete('/session', (c) => {
    const value = getCookie(c, SESSION_COOKIE);
    if (value) {
      checkSameOrigin(c);
      const hash = tokenHash(value);
      const user = store.sessions.lookup(hash, clock());
      if (store.sessions.delete(hash) && user) store.audit.add({ tokenId: null, username: user.username, role: user.role, action: 'session.delete', detail: {} }, clock());
    }
    deleteCookie(c, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'Strict', secure: options.secureCookies });
    return c.body(null, 204);
  });

  app.get('/users', admin, (c) => c.json({ users: store.users.list() }));

  app.post('/users', admin, async (c) => {
    const input = await body(c, NewUser, 'user (expected { username, role, password })');
    const user = await addUser(store, input, auditActor(c.get('principal')), clock());
    if (!user) throw new ApiError(409, 'conflict', `the username ${input.username} is taken (disabled users keep theirs)`);
    return c.json(user, 201);
  });

  app.delete('/users/:username', admin, (c) => {
    const username = c.req.param('username');
    const user = store.users.get(username);
    if (!user) throw notFound(`no user ${username}`);
    if (username === c.get('principal').username) throw new ApiError(409, 'conflict', 'you cannot disable your own account: ask another admin, or run byliv-hub user disable on the hub');
    disableUser(store, username, auditActor(c.get('principal')), clock());
    return c.json(store.users.get(username));
  });

  app.get('/tokens', admin, (c) => c.json({ tokens: store.tokens.list() }));

  app.post('/tokens', admin, async (c) => {
    const input = await body(c, NewToken, 'token (expected { role, label? })');
    const { token, record } = createToken(store, input.role, input.label, clock(), auditActor(c.get('principal')));
    // The only time the token is shown: only its hash is stored.
    return c.json({ ...record, token }, 201);
  });

  app.delete('/tokens/:id', admin, (c) => {
    const id = Number(c.req.param('id'));
    const token = Number.isSafeInteger(id) ? store.tokens.get(id) : undefined;
    if (!token) throw notFound(`no token ${c.req.param('id')}`);
    if (store.tokens.revoke(id, clock())) store.audit.add({ ...auditActor(c.get('principal')), action: 'token.revoke', detail: { id } }, clock());
    return c.body(null, 204);
  });

  app.post('/cameras', admin, async (c) => {
    const input = await body(c, NewCamera, 'camera (expected { site, camera, name? })');
    const at = clock();
    if (input.name !== undefined) store.cameras.ensureSite(input.site, at, input.name); // names a new site; an existing one keeps its name
    const { username, password, created } = await addCamera(store, input.site, input.camera, at);
    store.audit.add({ ...auditActor(c.get('principal')), action: created ? 'camera.add' : 'camera.password', detail: { site: input.site, camera: input.camera } }, at);
    // Shown once: the hub keeps only the scrypt hash.
    return c.json({ username, password }, created ? 201 : 200);
  });

  return app;
}
