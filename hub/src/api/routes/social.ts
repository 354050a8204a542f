/** Districts, social indicators with traffic lights, the map, and their imports. */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { Id } from '@byliv/protocol';
import type { HubStore } from '../../store/index.ts';
import { auditActor, requireRole, type ApiEnv } from '../auth.ts';
import { badRequest, notFound } from '../errors.ts';
import { jsonBody, parseQuery } from '../params.ts';
import {
  importCatalogue,
  importDistricts,
  importSiteMap,
  importSocialValues,
  trafficLights,
  MUNICIPALITY,
  SUPPRESS_BELOW,
  type ImportOutcome,
  type TrafficLightLimits,
} from '../../social/index.ts';

export { DEFAULT_TRAFFIC_LIGHTS, type TrafficLightLimits } from '../../social/index.ts';

const Flag = z.enum(['true', 'false']).default('false').transform((s) => s === 'true');
const Source = z.string().min(1).max(500).optional();
const ImportQuery = z.object({ source: Source, sample: Flag }).strict();
const ValuesQuery = z.object({ district: Id.optional(), indicator: Id.optional() }).strict();

async function textBody(c: Context<ApiEnv>): Promise<string> {
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('multipart/') || type.startsWith('application/x-www-form-urlencoded')) {
    throw badRequest('send the CSV file itself as the request body (Content-Type: text/csv), not as a form');
  }
  return c.req.text();
}

/** A failed import: 400 with every problem under `key` (rows for CSV, features for GeoJSON), or 409 when sample would mix into real data. */
function rejected<E>(c: Context<ApiEnv>, outcome: Extract<ImportOutcome<unknown, E>, { ok: false }>, key: 'rows' | 'features' | 'entries') {
  if (outcome.errors.length === 0) return c.json({ error: 'conflict', reason: outcome.reason }, 409);
  return c.json({ error: 'bad_request', reason: outcome.reason, [key]: outcome.errors }, 400);
}

function audit(store: HubStore, c: Context<ApiEnv>, action: string, detail: Record<string, unknown>, at: Date) {
  store.audit.add({ ...auditActor(c.get('principal')), action, detail }, at);
}

export function socialRoutes(store: HubStore, clock: () => Date, options: { trafficLights: TrafficLightLimits; tileUrl: string | null }) {
  const app = new Hono<ApiEnv>();
  const anyRole = requireRole(store, 'admin', 'planner', 'researcher');
  const admin = requireRole(store, 'admin');
  const limits = { yellow: options.trafficLights.yellow, red: options.trafficLights.red };

  app.get('/districts', anyRole, (c) => c.json({ districts: store.districts.list().map((d) => ({ id: d.id, name: d.name, sites: d.sites })) }));

  app.get('/map', anyRole, (c) => {
    const districts = store.districts.list();
    const placed = new Map(districts.flatMap((d) => d.sites.map((s) => [s, d.id] as const)));
    return c.json({
      tileUrl: options.tileUrl,
      districts: {
        type: 'FeatureCollection',
        features: districts.filter((d) => d.geometry !== null).map((d) => ({ type: 'Feature', properties: { id: d.id, name: d.name }, geometry: d.geometry })),
      },
      features: {
        type: 'FeatureCollection',
        features: store.mapFeatures.list().map((f) => ({
          type: 'Feature',
          properties: {
            kind: f.kind,
            site: f.site,
            ...(f.camera !== null ? { camera: f.camera } : {}),
            ...(f.zone !== null ? { zone: f.zone } : {}),
            ...(f.name !== null ? { name: f.name } : {}),
            ...(f.kind === 'site' ? { district: placed.get(f.site) ?? null } : {}),
          },
          geometry: f.geometry,
        })),
      },
    });
  });

  app.get('/social/indicators', anyRole, (c) => c.json({ indicators: store.social.indicators(), limits, suppressBelow: SUPPRESS_BELOW }));

  app.get('/social/values', anyRole, (c) => {
    const { district, indicator } = parseQuery(ValuesQuery, c.req.query());
    if (district !== undefined && district !== MUNICIPALITY && !store.districts.has(district)) throw notFound(`no district "${district}" (GET /api/v1/districts lists them)`);
    const catalogue = store.social.indicators();
    if (indicator !== undefined && !catalogue.some((i) => i.id === indicator)) throw notFound(`no social indicator "${indicator}" (GET /api/v1/social/indicators lists them)`);
    // The average needs every district's row of the indicator, so filter by district only after lighting.
    const lit = trafficLights(store.social.values({ indicator }), new Map(catalogue.map((i) => [i.id, i.higherIsBetter])), limits);
    return c.json({ limits, suppressBelow: SUPPRESS_BELOW, values: district === undefined ? lit : lit.filter((v) => v.district === district) });
  });

  app.post('/imports/social-catalogue', admin, async (c) => {
    const { source, sample } = parseQuery(ImportQuery, c.req.query());
    const at = clock();
    const outcome = importCatalogue(store, await jsonBody(c.req), { source: source ?? null, sample }, at);
    if (!outcome.ok) return rejected(c, outcome, 'entries');
    audit(store, c, 'social.catalogue.import', { ...outcome.result, source: source ?? null, sample }, at);
    return c.json({ imported: outcome.result.indicators });
  });

  app.post('/imports/social-indicators', admin, async (c) => {
    const { source, sample } = parseQuery(ImportQuery, c.req.query());
    const csv = await textBody(c);
    if (csv.trim() === '') throw badRequest('the request body is empty: send the CSV (district, indicator, period, value, individuals) as text/csv');
    const at = clock();
    const outcome = importSocialValues(store, csv, { source: source ?? null, sample }, at);
    if (!outcome.ok) return rejected(c, outcome, 'rows');
    audit(store, c, 'social.values.import', { ...outcome.result, source: source ?? null, sample }, at);
    return c.json(outcome.result);
  });

  app.post('/imports/districts', admin, async (c) => {
    const { source } = parseQuery(z.object({ source: Source }).strict(), c.req.query());
    const at = clock();
    const outcome = importDistricts(store, await jsonBody(c.req), { source: source ?? null }, at);
    if (!outcome.ok) return rejected(c, outcome, 'features');
    audit(store, c, 'districts.import', { ...outcome.result, source: source ?? null }, at);
    return c.json(outcome.result);
  });

  app.post('/imports/site-map', admin, async (c) => {
    parseQuery(z.object({}).strict(), c.req.query());
    const at = clock();
    const outcome = importSiteMap(store, await jsonBody(c.req), at);
    if (!outcome.ok) return rejected(c, outcome, 'features');
    audit(store, c, 'site-map.import', outcome.result, at);
    return c.json(outcome.result);
  });

  return app;
}
