/**
 * The hub's HTTP API (hono + @hono/zod-openapi): `createApi({ store, clock })` returns the app;
 * tests call `app.request()` in process. Routes are grouped by resource under /api/v1, each
 * declared once with its zod schemas: they validate the request, type the handler and make the
 * OpenAPI document served at /api/v1/openapi.json (and, from it, the dashboard's types).
 */
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { ReadBusyError, withRequestClock, type HubStore } from '../store/index.ts';
import { DEFAULT_SUPPRESS_BELOW } from '../report/index.ts';
import { SESSION_COOKIE, type ApiEnv } from './auth.ts';
import { invalid, json, z } from './contract.ts';
import { ApiError, errorResponse } from './errors.ts';
import { bodyLimits } from './body-limit.ts';
import { catalogRoutes } from './routes/catalog.ts';
import { countsRoutes } from './routes/counts.ts';
import { healthRoutes } from './routes/health.ts';
import { exportRoutes } from './routes/export.ts';
import { DEFAULT_CITATION } from './routes/export-dictionary.ts';
import { indicatorRoutes } from './routes/indicators.ts';
import { evaluationRoutes } from './routes/evaluations.ts';
import { socialRoutes, DEFAULT_TRAFFIC_LIGHTS, type TrafficLightLimits } from './routes/social.ts';
import { SESSION_HOURS, sessionRoutes } from './routes/session.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { auditRoutes } from './routes/audit.ts';

export interface ApiOptions {
  store: HubStore;
  clock?: () => Date;
  /** Researcher export: counts from 1 to suppressBelow − 1 are withheld (default 5). */
  suppressBelow?: number;
  citation?: string;
  /** The data owner's licence, stated in every export (default CC BY 4.0). */
  licence?: string;
  log?: (line: string) => void;
  /** Social indicators' traffic lights: how much worse than the municipal average is yellow/red. */
  trafficLights?: TrafficLightLimits;
  /** Map background tiles ({z}/{x}/{y}); none by default, so the map works offline. */
  tileUrl?: string | null;
  /** The dashboard's built files (index.html, assets/); default: @byliv/dashboard's dist/. */
  dashboardDir?: string;
  /** Session cookies marked Secure (set when the hub is served over HTTPS); also sends HSTS. */
  secureCookies?: boolean;
  /** A researcher export whose client reads nothing this long is closed (default 30 s). */
  exportIdleTimeoutMs?: number;
  /** Reverse proxies whose X-Forwarded-For names the client, for the sign-in throttle (default: loopback). */
  trustedProxies?: readonly string[];
}

export const API_DESCRIPTION = [
  'Anonymous urban-life counts from Byliv edge agents: sites, cameras, installations, counts rolled up over time, camera health and data completeness, the researcher export, ' +
    'urban-life indicators and series, installation evaluations, and social indicators per district with the map.',
  '',
  '**Time.** Every time the API returns is an ISO 8601 instant (UTC, `Z`); what differs between routes is the clock their days, buckets and hours follow:',
  '- UTC, with `timeZone: "UTC"`: the raw-count routes `/counts`, `/summary`, `/health/completeness` and `/export`. `from`/`to` are ISO 8601 times with offset or dates (their midnight UTC); buckets and hours are UTC, weeks start on Monday 00:00 UTC; a bin belongs to the bucket its start falls in.',
  '- Local time Europe/Copenhagen, with `timeZone: "Europe/Copenhagen"`: the indicator routes `/indicators/urban`, `/series`, `/series/heatmap`, `/series/dwell` and `/evaluations`. Dates are local dates (their local midnight) unless an ISO time with offset is given; days, weeks (ISO, Monday), months, quarters, weekdays and hours are local, so a day has 23, 24 or 25 hours.',
  '',
  '`from` is inclusive and `to` exclusive everywhere. Errors are JSON `{ error, reason }` (the Error schema): a stable code and a sentence saying what to fix.',
].join('\n');

export function createApi(options: ApiOptions): OpenAPIHono<ApiEnv> {
  const { store } = options;
  const clock = options.clock ?? (() => new Date());
  const suppressBelow = options.suppressBelow ?? DEFAULT_SUPPRESS_BELOW;
  if (!(Number.isInteger(suppressBelow) && suppressBelow >= 1)) throw new Error(`suppressBelow must be a whole number ≥ 1, got ${suppressBelow}`);
  const tileUrl = options.tileUrl ?? null;

  const app = new OpenAPIHono<ApiEnv>({ defaultHook: invalid });
  // Every route, requireRole included, reads time from the API's clock (tests fix it).
  app.use('*', async (c, next) => {
    c.set('clock', clock);
    // Heavy reads queue by the request they belong to (store/read-gate.ts).
    await withRequestClock(next);
  });
  app.use('*', secureHeaders(securityHeaders(tileUrl, options.secureCookies ?? false)));
  // Before any route reads a body (or checks who is asking: sign-in needs none).
  app.use('*', bodyLimits());

  app.openapi(
    createRoute({ method: 'get', path: '/healthz', summary: 'Liveness', security: [], responses: { 200: json(z.object({ ok: z.literal(true) })) } }),
    (c) => c.json({ ok: true as const }, 200),
  );
  let document: object | undefined;
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/openapi.json',
      summary: 'This document (OpenAPI 3.1)',
      security: [],
      responses: { 200: json(z.record(z.string(), z.unknown()).openapi({ description: 'The OpenAPI 3.1 document' })) },
    }),
    // Made on first use, when every route is registered.
    (c) => c.json((document ??= apiDocument(app)) as Record<string, unknown>, 200),
  );
  app.route('/api/v1', catalogRoutes(store, clock));
  app.route('/api/v1', countsRoutes(store));
  app.route('/api/v1', healthRoutes(store, clock));
  app.route('/api/v1', exportRoutes(store, clock, { suppressBelow, citation: options.citation ?? DEFAULT_CITATION, licence: options.licence, idleTimeoutMs: options.exportIdleTimeoutMs }));
  app.route('/api/v1', sessionRoutes(store, clock, { secureCookies: options.secureCookies ?? false, trustedProxies: options.trustedProxies }));
  app.route('/api/v1', indicatorRoutes(store, clock, { suppressBelow }));
  app.route('/api/v1', evaluationRoutes(store, clock));
  app.route('/api/v1', auditRoutes(store, clock));
  app.route('/api/v1', socialRoutes(store, clock, { trafficLights: options.trafficLights ?? DEFAULT_TRAFFIC_LIGHTS, tileUrl }));

  // Last: the dashboard answers the other GETs it knows (/, /index.html, /assets/…).
  app.route('/', dashboardRoutes({ dashboardDir: options.dashboardDir }));

  app.notFound((c) => c.json({ error: 'not_found', reason: `no route ${c.req.method} ${c.req.path}; see /api/v1/openapi.json` }, 404));
  app.onError((error, c) => {
    if (error instanceof ApiError) return errorResponse(c, error);
    // A heavy read refused by the store's limits: say when to come back, and why.
    if (error instanceof ReadBusyError) {
      c.header('Retry-After', String(error.retryAfterSeconds));
      return error.why === 'busy' ? c.json({ error: 'too_many_requests', reason: error.message }, 429) : c.json({ error: 'unavailable', reason: error.message }, 503);
    }
    if (error instanceof HTTPException) return c.json({ error: 'bad_request', reason: error.message }, error.status);
    options.log?.(`API ${c.req.method} ${c.req.path} failed: ${error.stack ?? error.message}`);
    return c.json({ error: 'internal', reason: 'the hub failed to answer; see its log' }, 500);
  });
  return app;
}

/** The OpenAPI 3.1 document of an app made by createApi: every route's definition, with the API's description and security schemes. */
export function apiDocument(app: OpenAPIHono<ApiEnv>, serverUrl?: string): object {
  if (!withSchemes.has(app)) registerSecuritySchemes(app);
  withSchemes.add(app);
  return app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: 'Byliv hub API', version: '1.0.0', description: API_DESCRIPTION },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ bearer: [] }, { session: [] }],
  });
}

const withSchemes = new WeakSet<OpenAPIHono<ApiEnv>>();

function registerSecuritySchemes(app: OpenAPIHono<ApiEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'A token from `byliv-hub token create --role admin|planner|researcher`, or from POST /api/v1/tokens.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: `Set by POST /api/v1/session (the dashboard sign-in); ${SESSION_HOURS} hours; requests that change data with it must come from the hub's own origin.`,
  });
}

/** The document without a hub: the routes are declared without touching their store. */
export function openApiDocument(serverUrl?: string): object {
  const noStore = new Proxy({} as HubStore, {
    get(_target, key) {
      throw new Error(`openApiDocument needs no store, but a route read store.${String(key)} while being declared`);
    },
  });
  return apiDocument(createApi({ store: noStore }), serverUrl);
}

/**
 * The CSP source of the tile server a tile template names ('https://{s}.tile.example.org/{z}/{x}/{y}.png'
 * → 'https://*.tile.example.org'), or null when it names none the browser could reach.
 */
export function tileSource(tileUrl: string | null): string | null {
  if (!tileUrl) return null;
  const m = /^(https?):\/\/([^/?#]+)/i.exec(tileUrl.trim());
  if (!m) return null;
  const host = m[2].replace(/\{[a-z]+\}/gi, '*');
  // A placeholder is only allowed as a whole leading label (CSP's '*.' wildcard).
  if (!/^(\*\.)?[A-Za-z0-9.-]+(:\d+)?$/.test(host)) return null;
  return `${m[1].toLowerCase()}://${host}`;
}

/**
 * secure-headers for every response: the dashboard loads only its own scripts, styles and data;
 * images are its own, data: URIs, and the configured map tile server's (none: the map is offline).
 * The referrer stays on this origin (a tile server sees no dashboard URLs). HSTS only over HTTPS.
 */
function securityHeaders(tileUrl: string | null, https: boolean): Parameters<typeof secureHeaders>[0] {
  const tiles = tileSource(tileUrl);
  return {
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', ...(tiles ? [tiles] : [])],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
    },
    referrerPolicy: 'same-origin',
    xFrameOptions: 'DENY',
    strictTransportSecurity: https ? 'max-age=15552000; includeSubDomains' : false,
  };
}
