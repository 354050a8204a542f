/**
 * Sign-in sessions for the dashboard, and the admin's users, tokens and cameras.
 *
 * A session is 32 random bytes in the cookie `byliv_session` (HttpOnly, SameSite=Strict,
 * Path=/, Secure when the hub is served over HTTPS); the database keeps only their sha256.
 * Lifetime: an absolute 12 hours from sign-in (a working day), not sliding: a stolen cookie is
 * worth at most 12 hours whatever its thief does, and checking a session writes nothing.
 * Sign-out deletes the session; disabling a user ends all of theirs.
 */
import { createRoute } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { randomBytes } from 'node:crypto';
import { Id } from '@byliv/protocol';
import { ROLES, type HubStore } from '../../store/index.ts';
import { PASSWORD_MAX_LENGTH, Password, Username } from '../../store/users.ts';
import { hashPassword, newPassword, tokenHash, verifyPassword } from '../../auth/index.ts';
import { CameraExistsError, addCamera, createToken } from '../../admin.ts';
import { addUser, disableUser } from '../../accounts.ts';
import { SESSION_COOKIE, auditActor, checkSameOrigin, requireRole, type ApiEnv } from '../auth.ts';
import { apiRouter, errors, json, jsonBodyOf, jsonRequest, roles, z } from '../contract.ts';
import { ApiError, notFound } from '../errors.ts';
import { SignInThrottle } from '../sign-in-throttle.ts';
import { clientAddress } from '../client-address.ts';
import { NullableTime, RoleName, Time } from '../schemas.ts';

export const SESSION_HOURS = 12;
export const WRONG_CREDENTIALS = 'wrong username or password';

const SignIn = z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(PASSWORD_MAX_LENGTH) }).strict().openapi('SignIn');
const NewUser = z
  .object({ username: Username, role: z.enum(ROLES), password: Password })
  .strict()
  .openapi('NewUser', { description: 'Usernames are 1–64 lower-case letters, digits, ".", "_", "@" or "-"; passwords at least 12 characters (stored as a scrypt hash)' });
const NewToken = z.object({ role: z.enum(ROLES), label: z.string().min(1).max(200).optional() }).strict().openapi('NewToken');
// Decimal digits only: Number() would read "0x1", "1e0" or " 1" as token 1 and revoke it.
const TokenId = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, { message: 'a token id is a whole number in decimal digits, like 3' })
  .transform(Number)
  .refine(Number.isSafeInteger, { message: 'no token has an id that large' })
  .openapi({ description: 'The token’s id', example: '3' });
const NewCamera = z
  .object({
    site: Id,
    camera: Id,
    name: z.string().min(1).max(200).optional().openapi({ description: 'Names the site if the site is new' }),
    rotatePassword: z.boolean().optional().openapi({ description: 'For a registered camera: give it a new password (the old one stops working, its live session is closed). Without it, a registered camera is a 409.' }),
  })
  .strict()
  .openapi('NewCamera');

export const Session = z
  .object({ username: z.string().nullable().openapi({ description: 'null when the caller uses a bearer token' }), role: RoleName })
  .openapi('Session');
export const User = z.object({ username: z.string(), role: RoleName, createdAt: Time, disabledAt: NullableTime }).openapi('User');
export const Token = z.object({ id: z.number().int(), role: RoleName, label: z.string().nullable(), createdAt: Time, revokedAt: NullableTime }).openapi('Token');
const CameraCredentials = z.object({ username: z.string().openapi({ description: 'MQTT username' }), password: z.string().openapi({ description: 'MQTT password, shown only here' }) }).openapi('CameraCredentials');

const sameOrigin = createMiddleware<ApiEnv>(async (c, next) => {
  checkSameOrigin(c);
  await next();
});

const ADMIN = `${roles('admin')} With the session cookie, a POST/DELETE must come from the hub's own origin (an Origin header naming another host is refused with 403). Audited.`;

export function sessionRoutes(store: HubStore, clock: () => Date, options: { secureCookies: boolean; trustedProxies?: readonly string[] }) {
  const app = apiRouter();
  const anyRole = requireRole(store, 'admin', 'planner', 'researcher');
  const admin = requireRole(store, 'admin');
  const throttle = new SignInThrottle(store);
  // Unknown users are checked against this, so a wrong username takes as long as a wrong password.
  const dummyHash = hashPassword(newPassword());

  app.openapi(
    createRoute({
      method: 'post',
      path: '/session',
      summary: 'Sign in with username and password',
      description:
        `Sets the cookie ${SESSION_COOKIE} (HttpOnly; SameSite=Strict; Path=/; Secure when the hub serves HTTPS), valid for ${SESSION_HOURS} hours from sign-in (absolute, not sliding). ` +
        `Every API route accepts the cookie instead of a bearer token. 401 "${WRONG_CREDENTIALS}" for an unknown user, a disabled one or a wrong password alike; ` +
        'after 5 wrong passwords for one username within 15 minutes, 429 with Retry-After. A sign-in from another site (Origin or Sec-Fetch-Site) is refused with 403.',
      security: [],
      // no sign-in from another site's form (login CSRF)
      middleware: [sameOrigin, jsonBodyOf('sign-in (expected { username, password })')] as const,
      request: { body: jsonRequest(SignIn) },
      responses: { 200: json(Session, `Signed in; Set-Cookie: ${SESSION_COOKIE}=…`), ...errors(400, 401, 403, 415, 429) },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const username = input.username.trim().toLowerCase();
      const now = clock();
      // Counted before the password is checked, so a burst of guesses cannot all get through.
      const admission = await throttle.admit(username, clientAddress(c, options.trustedProxies), now);
      if (!admission.admitted) {
        const wait = admission.retryAfterSeconds;
        c.header('Retry-After', String(wait));
        const who = admission.limitedBy === 'username' ? 'this username' : 'your address';
        return c.json({ error: 'too_many_requests' as const, reason: `too many sign-in attempts for ${who}: try again in ${Math.ceil(wait / 60)} min` }, 429);
      }
      const user = await store.users.credentials(username);
      const ok = await verifyPassword(input.password, user?.passwordHash ?? (await dummyHash));
      if (!user || !ok) throw new ApiError(401, 'unauthorized', WRONG_CREDENTIALS);
      await throttle.succeeded(admission.attempt);
      const value = randomBytes(32).toString('base64url');
      await store.sessions.purgeExpired(now);
      await store.sessions.create({ tokenHash: tokenHash(value), username: user.username, expiresAt: new Date(now.getTime() + SESSION_HOURS * 3600_000) }, now);
      await store.audit.add({ tokenId: null, username: user.username, role: user.role, action: 'session.create', detail: {} }, now);
      setCookie(c, SESSION_COOKIE, value, { httpOnly: true, sameSite: 'Strict', path: '/', secure: options.secureCookies, maxAge: SESSION_HOURS * 3600 });
      return c.json({ username: user.username, role: user.role }, 200);
    },
  );

  // With a bearer token there is no user: username null.
  app.openapi(
    createRoute({
      method: 'get',
      path: '/session',
      summary: 'Who is signed in',
      description: `${roles('admin', 'planner', 'researcher')} username is null when the caller uses a bearer token.`,
      middleware: [anyRole] as const,
      responses: { 200: json(Session), ...errors(401) },
    }),
    async (c) => {
      const p = c.get('principal');
      return c.json({ username: p.username, role: p.role }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/session',
      summary: 'Sign out',
      description: 'Ends the session of the cookie (if any) and clears the cookie: 204, signed in or not. With a cookie, the request must come from the hub’s own origin (403).',
      security: [],
      responses: { 204: { description: 'Signed out' }, ...errors(403) },
    }),
    async (c) => {
      const value = getCookie(c, SESSION_COOKIE);
      if (value) {
        checkSameOrigin(c);
        const hash = tokenHash(value);
        const user = await store.sessions.lookup(hash, clock());
        if ((await store.sessions.delete(hash)) && user) await store.audit.add({ tokenId: null, username: user.username, role: user.role, action: 'session.delete', detail: {} }, clock());
      }
      deleteCookie(c, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'Strict', secure: options.secureCookies });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/users',
      summary: 'Users (never their password hashes)',
      description: ADMIN,
      middleware: [admin] as const,
      responses: { 200: json(z.object({ users: z.array(User) })), ...errors(401, 403) },
    }),
    async (c) => c.json({ users: await store.users.list() }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/users',
      summary: 'Add a user',
      description: ADMIN,
      middleware: [admin, jsonBodyOf('user (expected { username, role, password })')] as const,
      request: { body: jsonRequest(NewUser) },
      responses: { 201: json(User, 'Created'), ...errors(400, 401, 403, 409, 415) },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const user = await addUser(store, input, auditActor(c.get('principal')), clock());
      if (!user) throw new ApiError(409, 'conflict', `the username ${input.username} is taken (disabled users keep theirs)`);
      return c.json(user, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/users/{username}',
      summary: 'Disable a user',
      description: `${ADMIN} The user can no longer sign in and their sessions end at once; the account stays for the audit log. An admin cannot disable themselves (409).`,
      middleware: [admin] as const,
      request: { params: z.object({ username: z.string() }) },
      responses: { 200: json(User, 'Disabled'), ...errors(401, 403, 404, 409) },
    }),
    async (c) => {
      const { username } = c.req.valid('param');
      const user = await store.users.get(username);
      if (!user) throw notFound(`no user ${username}`);
      if (username === c.get('principal').username) throw new ApiError(409, 'conflict', 'you cannot disable your own account: ask another admin, or run byliv-hub user disable on the hub');
      await disableUser(store, username, auditActor(c.get('principal')), clock());
      return c.json((await store.users.get(username))!, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/tokens',
      summary: 'API tokens (never their secrets)',
      description: ADMIN,
      middleware: [admin] as const,
      responses: { 200: json(z.object({ tokens: z.array(Token) })), ...errors(401, 403) },
    }),
    async (c) => c.json({ tokens: await store.tokens.list() }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/tokens',
      summary: 'Issue an API token',
      description: `${ADMIN} The token is in this answer only: the hub stores its sha256.`,
      middleware: [admin, jsonBodyOf('token (expected { role, label? })')] as const,
      request: { body: jsonRequest(NewToken) },
      responses: { 201: json(Token.extend({ token: z.string().openapi({ description: 'The bearer token, shown only here' }) }).openapi('NewTokenIssued'), 'Created'), ...errors(400, 401, 403, 415) },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const { token, record } = await createToken(store, input.role, input.label, clock(), auditActor(c.get('principal')));
      // The only time the token is shown: only its hash is stored.
      return c.json({ ...record, token }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/tokens/{id}',
      summary: 'Revoke an API token',
      description: ADMIN,
      middleware: [admin] as const,
      request: { params: z.object({ id: TokenId }) },
      responses: { 204: { description: 'Revoked (or already revoked)' }, ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const token = await store.tokens.get(id);
      if (!token) throw notFound(`no token ${id}`);
      if (await store.tokens.revoke(id, clock())) await store.audit.add({ ...auditActor(c.get('principal')), action: 'token.revoke', detail: { id } }, clock());
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/cameras',
      summary: 'Register a camera (or, with rotatePassword, give it a new password)',
      description: `${ADMIN} Returns its MQTT username and password, shown only here (the hub stores a scrypt hash).`,
      middleware: [admin, jsonBodyOf('camera (expected { site, camera, name? })')] as const,
      request: { body: jsonRequest(NewCamera) },
      responses: { 201: json(CameraCredentials, 'Registered'), 200: json(CameraCredentials, 'A new password for a registered camera (rotatePassword), or a removed camera registered again'), ...errors(400, 401, 403, 409, 415) },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const at = clock();
      if (input.name !== undefined) await store.cameras.ensureSite(input.site, at, input.name); // names a new site; an existing one keeps its name
      const added = await addCamera(store, input.site, input.camera, at, { rotatePassword: input.rotatePassword }).catch((error: unknown) => {
        if (error instanceof CameraExistsError) throw new ApiError(409, 'conflict', `camera ${input.site}/${input.camera} is already registered; send rotatePassword: true to give it a new password`);
        throw error;
      });
      const { username, password, created } = added;
      await store.audit.add({ ...auditActor(c.get('principal')), action: added.outcome === 'rotated' ? 'camera.password' : 'camera.add', detail: { site: input.site, camera: input.camera } }, at);
      // Shown once: the hub keeps only the scrypt hash.
      return created ? c.json({ username, password }, 201) : c.json({ username, password }, 200);
    },
  );

  return app;
}
