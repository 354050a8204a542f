/**
 * How large a request body each route takes, checked before the body is read (hono's
 * bodyLimit: a Content-Length over the limit is answered at once, a chunked body is counted
 * as it arrives and cut off at the limit). Without it, a route's JSON parser would buffer
 * whatever an unauthenticated client sends before saying 400.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ApiEnv } from './auth.ts';
import { ApiError } from './errors.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

/** The first rule whose prefix the path starts with applies; the last is the default. */
export const BODY_LIMITS: readonly { prefix: string; maxBytes: number; what: string }[] = [
  // District boundaries and site maps are GeoJSON files; the indicator CSV has a row per district and period.
  { prefix: '/api/v1/imports/', maxBytes: 32 * MiB, what: 'an import' },
  // A scene's zone polygons can have many points; still far below this.
  { prefix: '/api/v1/sites/', maxBytes: 1 * MiB, what: 'a scene' },
  // Sign-in, users, tokens, cameras, installations: a few hundred bytes each.
  { prefix: '/', maxBytes: 64 * KiB, what: 'this route' },
];

const size = (bytes: number) => (bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes / KiB} KiB`);

/** One middleware for every route: the limit of the first matching rule. */
export function bodyLimits(rules = BODY_LIMITS): MiddlewareHandler<ApiEnv> {
  const limits = rules.map((rule) => ({
    prefix: rule.prefix,
    check: bodyLimit({
      maxSize: rule.maxBytes,
      // The API's usual { error, reason } (thrown to onError), with 413.
      onError: () => {
        throw new ApiError(413, 'bad_request', `the request body is larger than ${size(rule.maxBytes)}, the limit for ${rule.what}`);
      },
    }),
  }));
  return (c, next) => limits.find((l) => c.req.path.startsWith(l.prefix))!.check(c, next);
}
