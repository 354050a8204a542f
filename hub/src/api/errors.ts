/**
 * Every API error is JSON `{ error, reason }`: a stable code and a sentence saying what to fix;
 * errors a planner meets in the dashboard add `problem`, a finer code it translates.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode, ProblemCode } from './error-codes.ts';

export { ERROR_CODES, PROBLEM_CODES, type ErrorCode, type ProblemCode } from './error-codes.ts';

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    reason: string,
    readonly problem?: ProblemCode,
  ) {
    super(reason);
  }
}

export const badRequest = (reason: string, problem?: ProblemCode) => new ApiError(400, 'bad_request', reason, problem);
export const notFound = (reason: string, problem?: ProblemCode) => new ApiError(404, 'not_found', reason, problem);

export function errorResponse(c: Context, error: ApiError) {
  return c.json({ error: error.code, reason: error.message, ...(error.problem ? { problem: error.problem } : {}) }, error.status);
}
