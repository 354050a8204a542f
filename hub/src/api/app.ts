/**
 * The hub's HTTP API (hono): `createApi({ store, clock })` returns the app; tests call
 * `app.request()` in process. Routes are grouped by resource under /api/v1.
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { HubStore } from '../store/index.ts';
import { DEFAULT_SUPPRESS_BELOW } from '../report/index.ts';
import type { ApiEnv } from './auth.ts';
import { ApiError, errorResponse } from './errors.ts';
import { openApiDocument } from './openapi.ts';
import { catalogRoutes } from './routes/catalog.ts';
import { countsRoutes } from './routes/counts.ts';
import { healthRoutes } from './routes/health.ts';
import { exportRoutes } from './routes/export.ts';
import { DEFAULT_CITATION } from './routes/export-dictionary.ts';
import { indicatorRoutes } from './routes/indicators.ts';
import { evaluationRoutes } from './routes/evaluations.ts';
import { socialRoutes, DEFAULT_TRAFFIC_LIGHTS, type TrafficLightLimits } from './routes/social.ts';
import { sessionRoutes } from './routes/session.ts';
import { dashboardRoutes } from './routes/dashboard.ts';

export interface ApiOptions {
  store: HubStore;
  clock?: () => Date;
  /** Researcher export: counts from 1 to suppressBelow − 1 are withheld (default 5). */
  suppressBelow?: number;
  citation?: string;
  log?: (line: string) => void;
  /** Social indicators' traffic lights: how much worse than the municipal average is yellow/red. */
  trafficLights?: TrafficLightLimits;
  /** Map background tiles ({z}/{x}/{y}); none by default, so the map works offline. */
  tileUrl?: string | null;
  /** The dashboard's built files (index.html, assets/); default: @byliv/dashboard's dist/. */
  dashboardDir?: string;
  /** Session cookies marked Secure (set when the hub is served over HTTPS). */
  secureCookies?: boolean;
}

export function createApi(options: ApiOptions): Hono<ApiEnv> {
  const { store } = options;
  const clock = options.clock ?? (() => new Date());
  const suppressBelow = options.suppressBelow ?? DEFAULT_SUPPRESS_BELOW;
  if (!(Number.isInteger(suppressBelow) && suppressBelow >= 1)) throw new Error(`suppressBelow must be a whole number ≥ 1, got ${suppressBelow}`);

  const app = new Hono<ApiEnv>();
  // Every route, requireRole included, reads time from the API's clock (tests fix it).
  app.use('*', async (c, next) => {
    c.set('clock', clock);
    await next();
  });
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/api/v1/openapi.json', (c) => c.json(openApiDocument()));
  app.route('/api/v1', catalogRoutes(store, clock));
  app.route('/api/v1', countsRoutes(store));
  app.route('/api/v1', healthRoutes(store, clock));
  app.route('/api/v1', exportRoutes(store, clock, { suppressBelow, citation: options.citation ?? DEFAULT_CITATION }));
  app.route('/api/v1', sessionRoutes(store, clock, { secureCookies: options.secureCookies ?? false }));
  app.route('/api/v1', indicatorRoutes(store, clock));
  app.route('/api/v1', evaluationRoutes(store, clock));
  app.route('/api/v1', socialRoutes(store, clock, { trafficLights: options.trafficLights ?? DEFAULT_TRAFFIC_LIGHTS, tileUrl: options.tileUrl ?? null }));

  // Last: the dashboard answers every other GET (a single-page app with its own routes).
  app.route('/', dashboardRoutes({ dashboardDir: options.dashboardDir }));

  app.notFound((c) => c.json({ error: 'not_found', reason: `no route ${c.req.method} ${c.req.path}; see /api/v1/openapi.json` }, 404));
  app.onError((error, c) => {
    if (error instanceof ApiError) return errorResponse(c, error);
    if (error instanceof HTTPException) return c.json({ error: 'bad_request', reason: error.message }, error.status);
    options.log?.(`API ${c.req.method} ${c.req.path} failed: ${error.stack ?? error.message}`);
    return c.json({ error: 'internal', reason: 'the hub failed to answer; see its log' }, 500);
  });
  return app;
}
