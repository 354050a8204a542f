/** Districts, social indicators with traffic lights, the map, and their imports. */
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { DistrictId, Id } from '@byliv/protocol';
import type { HubStore } from '../../store/index.ts';
import { auditActor, requireRole, type ApiEnv } from '../auth.ts';
import { ErrorBody, apiRouter, errors, json, roles, z } from '../contract.ts';
import { badRequest, notFound } from '../errors.ts';
import { orNull } from '../schemas.ts';
import { jsonBody } from '../params.ts';
import {
  CatalogueEntry,
  importCatalogue,
  importDistricts,
  importSiteMap,
  importSocialValues,
  trafficLights,
  MAP_KINDS,
  MUNICIPALITY,
  SOCIAL_COLUMNS,
  SUPPRESS_BELOW,
  type ImportOutcome,
  type TrafficLightLimits,
} from '../../social/index.ts';

export { DEFAULT_TRAFFIC_LIGHTS, type TrafficLightLimits } from '../../social/index.ts';

const Flag = z.enum(['true', 'false']).default('false').transform((s) => s === 'true');
const Source = z.string().min(1).max(500).optional().openapi({ description: 'Where the numbers come from (stored with them)' });
const ImportQuery = z
  .object({
    source: Source,
    sample: Flag.openapi({ description: "true: SAMPLE DATA (fictional). Sample data never goes into an indicator with real data (409); real data replaces an indicator's sample data." }),
  })
  .strict();
const ValuesQuery = z
  .object({ district: DistrictId.optional().openapi({ description: `Only this district ("${MUNICIPALITY}": the municipality rows)` }), indicator: Id.optional().openapi({ description: 'Only this indicator' }) })
  .strict();

const Limits = z
  .object({ yellow: z.number().openapi({ example: 0.1 }), red: z.number().openapi({ example: 0.3 }) })
  .openapi('TrafficLightLimits', { description: 'Share worse than the municipal average from which a value is yellow / red' });
const Light = z.enum(['green', 'yellow', 'red']).openapi('Light');

export const District = z.object({ id: z.string(), name: z.string(), sites: z.array(z.string()) }).openapi('District');
export const SocialIndicator = z
  .object({
    id: z.string(),
    nameDa: z.string(),
    nameEn: z.string(),
    unit: z.string().openapi({ example: '%' }),
    higherIsBetter: z.boolean(),
    source: z.string().nullable(),
    sample: z.boolean().openapi({ description: 'SAMPLE DATA: fictional numbers' }),
  })
  .openapi('SocialIndicator');
export const SocialValue = z
  .object({
    district: z.string(),
    indicator: z.string(),
    period: z.string().openapi({ examples: ['2025', '2025-H1', '2025-Q3', '2025-09', '2024/25'] }),
    value: z.number().nullable(),
    individuals: z.number().int().nullable(),
    suppressed: z.boolean(),
    municipalAverage: z.number().nullable(),
    deviation: z.number().nullable().openapi({ description: 'How much worse than the average, as a share of it (+ worse, following the indicator’s direction)' }),
    light: orNull(Light),
  })
  .openapi('SocialValue', { description: `light is null for "${MUNICIPALITY}" rows and suppressed values` });

/** GeoJSON, WGS84 [longitude, latitude]. */
const Geometry = z
  .object({ type: z.enum(['Point', 'LineString', 'Polygon', 'MultiPolygon']), coordinates: z.array(z.unknown()) })
  .openapi('Geometry', { description: 'A GeoJSON geometry, WGS84 [longitude, latitude]' });
const featureCollection = <P extends z.ZodType>(properties: P) =>
  z.object({ type: z.literal('FeatureCollection'), features: z.array(z.object({ type: z.literal('Feature'), properties, geometry: Geometry })) });
const DistrictProperties = z.object({ id: z.string(), name: z.string() }).openapi('DistrictProperties');
const SiteMapProperties = z
  .object({
    kind: z.enum(MAP_KINDS),
    site: z.string(),
    camera: z.string().optional(),
    zone: z.string().optional(),
    name: z.string().optional(),
    district: z.string().nullable().optional().openapi({ description: 'Site features only' }),
  })
  .openapi('SiteMapProperties');
export const MapData = z
  .object({
    tileUrl: z.string().nullable().openapi({ description: 'The background tile template ({z}/{x}/{y}), or null: no background, the map works offline' }),
    districts: featureCollection(DistrictProperties),
    features: featureCollection(SiteMapProperties),
  })
  .openapi('MapData');

const RowError = z
  .object({
    line: z.number().int().openapi({ description: '1-based line in the file; the header is line 1' }),
    column: z.string().nullable().openapi({ description: 'Column name from the header; null for the whole row' }),
    message: z.string(),
  })
  .openapi('ImportRowError');
const IndexError = z.object({ index: z.number().int().nullable().openapi({ description: 'Index in the list; null for the whole file' }), message: z.string() }).openapi('ImportIndexError');
export const ImportRejected = ErrorBody.extend({
  rows: z.array(RowError).optional().openapi({ description: 'CSV imports: every problem' }),
  features: z.array(IndexError).optional().openapi({ description: 'GeoJSON imports: every problem' }),
  entries: z.array(IndexError).optional().openapi({ description: 'The catalogue: every problem' }),
}).openapi('ImportRejected');

const rejectedResponses = {
  400: json(ImportRejected, 'Bad request: the reason says what; a rejected file also lists its problems (rows, features or entries), and nothing was stored'),
  409: json(ErrorBody, 'Sample data would be mixed into an indicator that holds real data'),
};

type Rejected<E> = Extract<ImportOutcome<unknown, E>, { ok: false }>;

/** A failed import: 400 with every problem under `key` (rows for CSV, features for GeoJSON), or 409 when sample would mix into real data. */
function rejected<E extends z.infer<typeof RowError> | z.infer<typeof IndexError>>(c: Context<ApiEnv>, outcome: Rejected<E>, key: 'rows' | 'features' | 'entries') {
  if (outcome.errors.length === 0) return c.json({ error: 'conflict' as const, reason: outcome.reason, problem: 'import_sample_conflict' as const }, 409);
  return c.json({ error: 'bad_request' as const, reason: outcome.reason, problem: 'import_rejected' as const, [key]: outcome.errors } as z.infer<typeof ImportRejected>, 400);
}

async function textBody(c: Context<ApiEnv>): Promise<string> {
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('multipart/') || type.startsWith('application/x-www-form-urlencoded')) {
    throw badRequest('send the CSV file itself as the request body (Content-Type: text/csv), not as a form', 'import_form_body');
  }
  return c.req.text();
}

async function audit(store: HubStore, c: Context<ApiEnv>, action: string, detail: Record<string, unknown>, at: Date) {
  await store.audit.add({ ...auditActor(c.get('principal')), action, detail }, at);
}

const READERS = ['admin', 'planner', 'researcher'] as const;
const ADMIN = `${roles('admin')} Audited. All or nothing: one bad row or feature and nothing is stored.`;

/** A body's JSON Schema for the document only (no validation by the router: the import checks it and lists every problem). */
function documented(schema: z.ZodType): {} {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return rest;
}

/** GeoJSON request bodies: documented here, checked feature by feature by ../../social/ (every problem listed). */
const geoJsonBody = (properties: z.ZodType, description: string) => {
  const schema = documented(featureCollection(properties));
  return { required: true, description, content: { 'application/geo+json': { schema }, 'application/json': { schema } } };
};
const catalogueSchema = documented(z.array(CatalogueEntry));

export function socialRoutes(store: HubStore, clock: () => Date, options: { trafficLights: TrafficLightLimits; tileUrl: string | null }) {
  const app = apiRouter();
  const anyRole = requireRole(store, ...READERS);
  const admin = requireRole(store, 'admin');
  const limits = { yellow: options.trafficLights.yellow, red: options.trafficLights.red };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/districts',
      summary: 'Districts and the sites in each',
      description: roles(...READERS),
      middleware: [anyRole] as const,
      responses: { 200: json(z.object({ districts: z.array(District) })), ...errors(401, 403) },
    }),
    async (c) => c.json({ districts: (await store.districts.list()).map((d) => ({ id: d.id, name: d.name, sites: d.sites })) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/map',
      summary: 'The map: district boundaries and where sites, cameras and zones are (GeoJSON, WGS84)',
      description: roles(...READERS),
      middleware: [anyRole] as const,
      responses: { 200: json(MapData), ...errors(401, 403) },
    }),
    async (c) => {
      const districts = await store.districts.list();
      const placed = new Map(districts.flatMap((d) => d.sites.map((s) => [s, d.id] as const)));
      return c.json(
        {
          tileUrl: options.tileUrl,
          districts: {
            type: 'FeatureCollection' as const,
            features: districts
              .filter((d) => d.geometry !== null)
              .map((d) => ({ type: 'Feature' as const, properties: { id: d.id, name: d.name }, geometry: d.geometry as z.infer<typeof Geometry> })),
          },
          features: {
            type: 'FeatureCollection' as const,
            features: (await store.mapFeatures.list()).map((f) => ({
              type: 'Feature' as const,
              properties: {
                kind: f.kind,
                site: f.site,
                ...(f.camera !== null ? { camera: f.camera } : {}),
                ...(f.zone !== null ? { zone: f.zone } : {}),
                ...(f.name !== null ? { name: f.name } : {}),
                ...(f.kind === 'site' ? { district: placed.get(f.site) ?? null } : {}),
              },
              geometry: f.geometry as z.infer<typeof Geometry>,
            })),
          },
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/social/indicators',
      summary: 'The social indicator catalogue, with the traffic-light limits',
      description: roles(...READERS),
      middleware: [anyRole] as const,
      responses: {
        200: json(z.object({ indicators: z.array(SocialIndicator), limits: Limits, suppressBelow: z.number().int().openapi({ description: 'Values resting on fewer individuals are never shown' }) })),
        ...errors(401, 403),
      },
    }),
    async (c) => c.json({ indicators: await store.social.indicators(), limits, suppressBelow: SUPPRESS_BELOW }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/social/values',
      summary: 'Indicator values per district and period, with the municipal average and a traffic light',
      description:
        `${roles(...READERS)} Values resting on fewer than ${SUPPRESS_BELOW} individuals are never shown (value and individuals null, suppressed true). ` +
        `The municipal average is the row of district "${MUNICIPALITY}" when there is one, else the mean of the districts weighted by individuals (null when it rests on fewer than ` +
        `${SUPPRESS_BELOW}). deviation = how much worse than the average, as a share of it (+ worse, following the indicator's direction); light green | yellow | red from the limits, null for "${MUNICIPALITY}" rows and suppressed values.`,
      middleware: [anyRole] as const,
      request: { query: ValuesQuery },
      responses: { 200: json(z.object({ limits: Limits, suppressBelow: z.number().int(), values: z.array(SocialValue) })), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const { district, indicator } = c.req.valid('query');
      if (district !== undefined && district !== MUNICIPALITY && !(await store.districts.has(district))) throw notFound(`no district "${district}" (GET /api/v1/districts lists them)`);
      const catalogue = await store.social.indicators();
      if (indicator !== undefined && !catalogue.some((i) => i.id === indicator)) throw notFound(`no social indicator "${indicator}" (GET /api/v1/social/indicators lists them)`);
      // The average needs every district's row of the indicator, so filter by district only after lighting.
      const lit = trafficLights(await store.social.values({ indicator }), new Map(catalogue.map((i) => [i.id, i.higherIsBetter])), limits);
      return c.json({ limits, suppressBelow: SUPPRESS_BELOW, values: district === undefined ? lit : lit.filter((v) => v.district === district) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/imports/social-catalogue',
      summary: 'Add or update social indicators (the catalogue)',
      description: `${ADMIN} The values CSV names indicators by id; import them here first.`,
      middleware: [admin] as const,
      request: {
        query: ImportQuery,
        body: { required: true, description: 'A JSON array of catalogue entries (or { indicators: [...] })', content: { 'application/json': { schema: catalogueSchema } } },
      },
      responses: { 200: json(z.object({ imported: z.number().int() })), ...rejectedResponses, ...errors(401, 403) },
    }),
    async (c) => {
      const { source, sample } = c.req.valid('query');
      const at = clock();
      const outcome = await importCatalogue(store, await jsonBody(c.req), { source: source ?? null, sample }, at);
      if (!outcome.ok) return rejected(c, outcome, 'entries');
      await audit(store, c, 'social.catalogue.import', { ...outcome.result, source: source ?? null, sample }, at);
      return c.json({ imported: outcome.result.indicators }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/imports/social-indicators',
      summary: 'Import indicator values per district and period (CSV)',
      description:
        `${ADMIN} CSV (RFC 4180) with a header naming the columns ${SOCIAL_COLUMNS.join(', ')} in any order; separator , or ; (guessed from the header); decimal mark . or , (no thousands separators); UTF-8, a byte-order mark is fine. ` +
        `district: a district id or "${MUNICIPALITY}" (the whole municipality); indicator: an id from the catalogue; period: 2025, 2025-H1, 2025-Q3, 2025-09 or 2024/25; individuals: how many people the value rests on (the population of a share). ` +
        'A row with the same district, indicator and period as a stored one replaces it.',
      middleware: [admin] as const,
      request: {
        query: ImportQuery,
        body: { required: true, content: { 'text/csv': { schema: z.string().openapi({ example: 'district,indicator,period,value,individuals\nkommune,unemployment,2025-H1,3.4,19000\n' }) } } },
      },
      responses: {
        200: json(z.object({ imported: z.number().int(), indicators: z.array(z.string()), districts: z.array(z.string()), periods: z.array(z.string()) })),
        ...rejectedResponses,
        ...errors(401, 403),
      },
    }),
    async (c) => {
      const { source, sample } = c.req.valid('query');
      const csv = await textBody(c);
      if (csv.trim() === '') throw badRequest('the request body is empty: send the CSV (district, indicator, period, value, individuals) as text/csv', 'import_empty');
      const at = clock();
      const outcome = await importSocialValues(store, csv, { source: source ?? null, sample }, at);
      if (!outcome.ok) return rejected(c, outcome, 'rows');
      await audit(store, c, 'social.values.import', { ...outcome.result, source: source ?? null, sample }, at);
      return c.json(outcome.result, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/imports/districts',
      summary: 'Import district boundaries (GeoJSON)',
      description: `${ADMIN} A district with the same id is replaced.`,
      middleware: [admin] as const,
      request: {
        query: z.object({ source: Source }).strict(),
        body: geoJsonBody(DistrictProperties, 'A FeatureCollection of Polygon or MultiPolygon features with properties id and name; WGS84, rings closed'),
      },
      responses: { 200: json(z.object({ created: z.number().int(), updated: z.number().int(), districts: z.array(z.string()) })), ...rejectedResponses, ...errors(401, 403) },
    }),
    async (c) => {
      const { source } = c.req.valid('query');
      const at = clock();
      const outcome = await importDistricts(store, await jsonBody(c.req), { source: source ?? null }, at);
      if (!outcome.ok) return rejected(c, outcome, 'features');
      await audit(store, c, 'districts.import', { ...outcome.result, source: source ?? null }, at);
      return c.json(outcome.result, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/imports/site-map',
      summary: 'Import the site map: where sites, cameras and zones are, and which district each site is in (GeoJSON)',
      description: `${ADMIN} Sites the hub does not know are created (cameras are not: byliv-hub camera add). The map of every site named is replaced.`,
      middleware: [admin] as const,
      request: {
        query: z.object({}).strict(),
        body: geoJsonBody(
          SiteMapProperties.omit({ district: true }).extend({ district: z.string().optional() }),
          'Features with properties kind (site | camera | zone), site, camera (camera, zone), zone (zone), name; a site feature may name its district, else the district whose boundary contains it is taken',
        ),
      },
      responses: {
        200: json(z.object({ features: z.number().int(), sites: z.array(z.string()), createdSites: z.array(z.string()), placements: z.array(z.object({ site: z.string(), district: z.string().nullable() })) })),
        ...rejectedResponses,
        ...errors(401, 403),
      },
    }),
    async (c) => {
      const at = clock();
      const outcome = await importSiteMap(store, await jsonBody(c.req), at);
      if (!outcome.ok) return rejected(c, outcome, 'features');
      await audit(store, c, 'site-map.import', outcome.result, at);
      return c.json(outcome.result, 200);
    },
  );

  return app;
}
