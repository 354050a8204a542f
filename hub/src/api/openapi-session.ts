/** OpenAPI paths of the session routes and the admin's users, tokens and cameras (merged into openapi.ts). */
const error = { $ref: '#/components/schemas/Error' };
const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((c) => [
      String(c),
      {
        description: {
          400: 'Bad request',
          401: 'Not signed in, or unknown token',
          403: 'Wrong role, or a cross-origin request with the session cookie',
          404: 'Not found',
          409: 'Conflict',
          429: 'Too many wrong passwords for this username (Retry-After says how many seconds to wait)',
        }[c],
        content: { 'application/json': { schema: error } },
      },
    ]),
  );
const json = (schema: object, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const body = (schema: object) => ({ required: true, content: { 'application/json': { schema } } });
const str = { type: 'string' };
const role = { type: 'string', enum: ['admin', 'planner', 'researcher'] };
const user = {
  type: 'object',
  properties: { username: str, role, createdAt: str, disabledAt: { type: ['string', 'null'] } },
};
const token = {
  type: 'object',
  properties: { id: { type: 'integer' }, role, label: { type: ['string', 'null'] }, createdAt: str, revokedAt: { type: ['string', 'null'] } },
};
const whoAmI = { type: 'object', properties: { username: { type: ['string', 'null'] }, role } };
const admin =
  'Roles: admin. With the session cookie, a POST/DELETE must come from the hub\'s own origin (an Origin header naming another host is refused with 403). Audited.';
const pathParam = (name: string) => ({ name, in: 'path', required: true, schema: str });

export const sessionPaths: Record<string, object> = {
  '/api/v1/session': {
    post: {
      summary: 'Sign in with username and password',
      description:
        'Sets the cookie byliv_session (HttpOnly; SameSite=Strict; Path=/; Secure when the hub serves HTTPS), valid for 12 hours from sign-in (absolute, not sliding). ' +
        'Every API route accepts the cookie instead of a bearer token. 401 "wrong username or password" for an unknown user, a disabled one or a wrong password alike; ' +
        'after 5 wrong passwords for one username within 15 minutes, 429 with Retry-After.',
      security: [],
      requestBody: body({ type: 'object', required: ['username', 'password'], properties: { username: str, password: str } }),
      responses: { 200: json(whoAmI, 'Signed in; Set-Cookie: byliv_session=…'), ...errors(400, 401, 403, 429) },
    },
    get: {
      summary: 'Who is signed in',
      description: 'Roles: admin, planner, researcher. username is null when the caller uses a bearer token.',
      responses: { 200: json(whoAmI), ...errors(401) },
    },
    delete: {
      summary: 'Sign out',
      description: 'Ends the session of the cookie (if any) and clears the cookie. Always 204.',
      security: [],
      responses: { 204: { description: 'Signed out' }, ...errors(403) },
    },
  },
  '/api/v1/users': {
    get: { summary: 'Users (never their password hashes)', description: admin, responses: { 200: json({ type: 'object', properties: { users: { type: 'array', items: user } } }), ...errors(401, 403) } },
    post: {
      summary: 'Add a user',
      description: `${admin} Usernames are 1–64 lower-case letters, digits, ".", "_", "@" or "-"; passwords at least 12 characters (stored as a scrypt hash).`,
      requestBody: body({ type: 'object', required: ['username', 'role', 'password'], properties: { username: str, role, password: { type: 'string', minLength: 12 } } }),
      responses: { 201: json(user, 'Created'), ...errors(400, 401, 403, 409) },
    },
  },
  '/api/v1/users/{username}': {
    delete: {
      summary: 'Disable a user',
      description: `${admin} The user can no longer sign in and their sessions end at once; the account stays for the audit log. An admin cannot disable themselves (409).`,
      parameters: [pathParam('username')],
      responses: { 200: json(user, 'Disabled'), ...errors(401, 403, 404, 409) },
    },
  },
  '/api/v1/tokens': {
    get: { summary: 'API tokens (never their secrets)', description: admin, responses: { 200: json({ type: 'object', properties: { tokens: { type: 'array', items: token } } }), ...errors(401, 403) } },
    post: {
      summary: 'Issue an API token',
      description: `${admin} The token is in this answer only: the hub stores its sha256.`,
      requestBody: body({ type: 'object', required: ['role'], properties: { role, label: str } }),
      responses: { 201: json({ ...token, properties: { ...token.properties, token: str } }, 'Created'), ...errors(400, 401, 403) },
    },
  },
  '/api/v1/tokens/{id}': {
    delete: { summary: 'Revoke an API token', description: admin, parameters: [pathParam('id')], responses: { 204: { description: 'Revoked' }, ...errors(401, 403, 404) } },
  },
  '/api/v1/cameras': {
    post: {
      summary: 'Register a camera (or give it a new password)',
      description: `${admin} Returns its MQTT username and password, shown only here (the hub stores a scrypt hash). name names the site if the site is new.`,
      requestBody: body({ type: 'object', required: ['site', 'camera'], properties: { site: str, camera: str, name: str } }),
      responses: {
        201: json({ type: 'object', properties: { username: str, password: str } }, 'Registered'),
        200: json({ type: 'object', properties: { username: str, password: str } }, 'New password for a registered camera'),
        ...errors(400, 401, 403),
      },
    },
  },
};
