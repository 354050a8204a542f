/** Every API error is JSON `{ error, reason }`: a stable code and a sentence saying what to fix. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export const ERROR_CODES = ['bad_request', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'unsupported_media_type', 'too_many_requests', 'unavailable', 'internal'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    reason: string,
  ) {
    super(reason);
  }
}

export const badRequest = (reason: string) => new ApiError(400, 'bad_request', reason);
export const notFound = (reason: string) => new ApiError(404, 'not_found', reason);

export function errorResponse(c: Context, error: ApiError) {
  return c.json({ error: error.code, reason: error.message }, error.status);
}
