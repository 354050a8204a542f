/**
 * What every route definition shares: the router (an OpenAPIHono whose validation failures are
 * the API's usual 400s), the Error schema and its responses, role notes and the JSON-body check.
 * A route is declared once, with createRoute: its zod schemas validate the request, type the
 * handler and write the OpenAPI document (and from that the dashboard's types).
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { ZodError } from 'zod';
import { describeIssues } from '@byliv/protocol';
import type { Role } from '../store/index.ts';
import type { ApiEnv } from './auth.ts';
import { ApiError, ERROR_CODES, PROBLEM_CODES, badRequest } from './errors.ts';

export { z };

/** Every error: a stable code and a sentence saying what to fix. */
export const ErrorBody = z
  .object({
    error: z.enum(ERROR_CODES).openapi({ description: 'A stable code' }),
    reason: z.string().openapi({ description: 'What went wrong and what to do about it', example: 'bad query parameters:\nsite: Invalid input: expected string, received undefined' }),
    problem: z.enum(PROBLEM_CODES).optional().openapi({ description: 'A finer stable code for errors a person meets in the dashboard (which words it in their language)' }),
  })
  .openapi('Error');

const ERROR_TEXT: Record<number, string> = {
  400: 'Bad request: the reason names each bad parameter or field',
  401: 'Not signed in, or an unknown or revoked token',
  403: 'The caller’s role may not use this route, or a cookie request that changes data came from another origin',
  404: 'Not found: the reason says what',
  409: 'Conflict: the reason says with what',
  415: 'The body is not JSON (send Content-Type: application/json)',
  429: 'Too many attempts: Retry-After says how many seconds to wait',
};

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 415 | 429;

type ErrorResponse = { description: string; content: { 'application/json': { schema: typeof ErrorBody } } };

/** The error responses of a route, each with the Error body. */
export function errors<C extends ErrorStatus>(...codes: C[]): Record<C, ErrorResponse> {
  return Object.fromEntries(codes.map((c) => [c, { description: ERROR_TEXT[c], content: { 'application/json': { schema: ErrorBody } } }])) as Record<C, ErrorResponse>;
}

/** A JSON response. */
export const json = <T extends z.ZodType>(schema: T, description = 'OK') => ({ description, content: { 'application/json': { schema } } });

/** A required JSON request body. */
export const jsonRequest = <T extends z.ZodType>(schema: T, description?: string) => ({ required: true, ...(description ? { description } : {}), content: { 'application/json': { schema } } });

/** "Roles: …." at the head of a route's description. */
export const roles = (...r: Role[]) => `Roles: ${r.join(', ')}.`;

export const LOCAL_TIME = 'Local time Europe/Copenhagen (days of 23, 24 or 25 hours).';
export const UTC_TIME = 'Times and buckets are UTC.';

type Result = { target: string; success: true; data: unknown } | { target: string; success: false; error: ZodError };

/**
 * What a failed validation answers, for every route: a 400 `{ error: 'bad_request', reason }`
 * thrown to the app's onError, the reason listing every issue as `path: message`
 * (describeIssues): "bad query parameters:\n…", "bad path parameters:\n…" or "not a valid
 * <body>:\n…", the body named by the route's jsonBodyOf middleware.
 */
export function invalid(result: Result, c: Context<ApiEnv>): undefined {
  if (result.success) return undefined;
  const issues = describeIssues(result.error);
  if (result.target === 'json') throw badRequest(`not a valid ${c.get('jsonBody') ?? 'request body'}:\n${issues}`);
  throw badRequest(`bad ${result.target === 'param' ? 'path' : 'query'} parameters:\n${issues}`);
}

/** A router for one group of routes; its validation failures are the API's 400s. */
export const apiRouter = () => new OpenAPIHono<ApiEnv>({ defaultHook: invalid });

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * Before a JSON body's schema is checked (after the role check): it must say it is JSON (415
 * otherwise) and parse (400 "the request body must be JSON"); `what` names it in the 400 of a
 * body that does not fit the schema ("not a valid scene: …"). The parsed body stays cached for
 * the validator.
 */
export const jsonBodyOf = (what: string) =>
  createMiddleware<ApiEnv>(async (c, next) => {
    const type = (c.req.header('content-type') ?? '').split(';')[0].trim();
    if (!JSON_TYPE.test(type)) throw new ApiError(415, 'unsupported_media_type', `send the body as JSON with Content-Type: application/json (got ${type || 'no Content-Type'})`);
    try {
      await c.req.json();
    } catch {
      throw badRequest('the request body must be JSON');
    }
    c.set('jsonBody', what);
    await next();
  });

/** `from` before `to`, when both are given (the same 400 on every range route). */
export function orderedRange(q: { from?: Date; to?: Date }): void {
  if (q.from && q.to && !(q.from < q.to)) throw badRequest(`from (${q.from.toISOString()}) must be before to (${q.to.toISOString()})`);
}
