/** OpenAPI paths of the social routes (merged into openapi.ts). Schemas are inline, so this file stands alone. */
import { SOCIAL_COLUMNS, SUPPRESS_BELOW } from '../social/index.ts';

const errorRef = { $ref: '#/components/schemas/Error' };
const ERROR_TEXT: Record<number, string> = {
  400: 'Bad request: the reason says what; a rejected import also lists its problems (rows, features or entries)',
  401: 'Not signed in, or unknown token',
  403: 'Wrong role',
  404: 'Unknown district or indicator',
  409: 'Sample data would be mixed into an indicator that holds real data',
};
const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), { description: ERROR_TEXT[c], content: { 'application/json': { schema: errorRef } } }]));
const json = (schema: object, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const q = (name: string, description: string, schema: object, required = false) => ({ name, in: 'query', required, description, schema });
const READERS = 'Roles: admin, planner, researcher.';
const ADMIN = 'Role: admin. Audited. All or nothing: one bad row or feature and nothing is stored.';

const str = { type: 'string' };
const nullableNum = { type: ['number', 'null'] };
const limits = { type: 'object', properties: { yellow: { type: 'number', examples: [0.1] }, red: { type: 'number', examples: [0.3] } }, description: 'Share worse than the municipal average from which a value is yellow / red.' };
const featureCollection = (properties: object) => ({
  type: 'object',
  properties: {
    type: { const: 'FeatureCollection' },
    features: { type: 'array', items: { type: 'object', properties: { type: { const: 'Feature' }, properties: { type: 'object', properties }, geometry: { type: 'object', description: 'GeoJSON geometry, WGS84 [longitude, latitude]' } } } },
  },
});
const siteMapProps = { kind: { enum: ['site', 'camera', 'zone'] }, site: str, camera: str, zone: str, name: str, district: { type: ['string', 'null'], description: 'Site features only' } };
const rowErrors = {
  type: 'object',
  properties: {
    error: str,
    reason: str,
    rows: { type: 'array', items: { type: 'object', properties: { line: { type: 'integer', description: '1-based line in the file; the header is line 1' }, column: { type: ['string', 'null'], description: 'Column name from the header; null for the whole row' }, message: str } } },
  },
};
const featureErrors = {
  type: 'object',
  properties: { error: str, reason: str, features: { type: 'array', items: { type: 'object', properties: { index: { type: ['integer', 'null'], description: 'Index in features; null for the collection' }, message: str } } } },
};
const badImport = (schema: object) => ({ 400: json(schema, 'The file has problems; nothing was stored') });
const sourceParam = q('source', 'Where the numbers come from (stored with them).', str);
const sampleParam = q('sample', 'true: SAMPLE DATA (fictional). Sample data never goes into an indicator with real data (409); real data replaces an indicator\'s sample data.', { type: 'string', enum: ['true', 'false'], default: 'false' });

export const socialPaths: Record<string, object> = {
  '/api/v1/districts': {
    get: {
      summary: 'Districts and the sites in each',
      description: READERS,
      responses: { 200: json({ type: 'object', properties: { districts: { type: 'array', items: { type: 'object', properties: { id: str, name: str, sites: { type: 'array', items: str } } } } } }), ...errors(401, 403) },
    },
  },
  '/api/v1/map': {
    get: {
      summary: 'The map: district boundaries and where sites, cameras and zones are (GeoJSON, WGS84)',
      description: `${READERS} tileUrl is the background tile template ({z}/{x}/{y}) or null (no background: the map works offline).`,
      responses: {
        200: json({ type: 'object', properties: { tileUrl: { type: ['string', 'null'] }, districts: featureCollection({ id: str, name: str }), features: featureCollection(siteMapProps) } }),
        ...errors(401, 403),
      },
    },
  },
  '/api/v1/social/indicators': {
    get: {
      summary: 'The social indicator catalogue, with the traffic-light limits',
      description: READERS,
      responses: {
        200: json({
          type: 'object',
          properties: {
            indicators: { type: 'array', items: { type: 'object', properties: { id: str, nameDa: str, nameEn: str, unit: str, higherIsBetter: { type: 'boolean' }, source: { type: ['string', 'null'] }, sample: { type: 'boolean', description: 'SAMPLE DATA: fictional numbers' } } } },
            limits,
            suppressBelow: { type: 'integer', const: SUPPRESS_BELOW },
          },
        }),
        ...errors(401, 403),
      },
    },
  },
  '/api/v1/social/values': {
    get: {
      summary: 'Indicator values per district and period, with the municipal average and a traffic light',
      description:
        `${READERS} Values resting on fewer than ${SUPPRESS_BELOW} individuals are never shown (value and individuals null, suppressed true). ` +
        'The municipal average is the row of district "kommune" when there is one, else the mean of the districts weighted by individuals (null when it rests on fewer than ' +
        `${SUPPRESS_BELOW}). deviation = how much worse than the average, as a share of it (+ worse, following the indicator's direction); light green | yellow | red from the limits, null for "kommune" rows and suppressed values.`,
      parameters: [q('district', 'Only this district ("kommune": the municipality rows).', str), q('indicator', 'Only this indicator.', str)],
      responses: {
        200: json({
          type: 'object',
          properties: {
            limits,
            suppressBelow: { type: 'integer' },
            values: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  district: str,
                  indicator: str,
                  period: { type: 'string', examples: ['2025', '2025-H1', '2025-Q3', '2025-09', '2024/25'] },
                  value: nullableNum,
                  individuals: { type: ['integer', 'null'] },
                  suppressed: { type: 'boolean' },
                  municipalAverage: nullableNum,
                  deviation: nullableNum,
                  light: { enum: ['green', 'yellow', 'red', null] },
                },
              },
            },
          },
        }),
        ...errors(400, 401, 403, 404),
      },
    },
  },
  '/api/v1/imports/social-catalogue': {
    post: {
      summary: 'Add or update social indicators (the catalogue)',
      description: `${ADMIN} The values CSV names indicators by id; import them here first.`,
      parameters: [sourceParam, sampleParam],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { type: 'array', items: { type: 'object', required: ['id', 'nameDa', 'nameEn', 'unit', 'higherIsBetter'], properties: { id: str, nameDa: str, nameEn: str, unit: { type: 'string', examples: ['%'] }, higherIsBetter: { type: 'boolean' }, source: str, sample: { type: 'boolean' } } } } } },
      },
      responses: { 200: json({ type: 'object', properties: { imported: { type: 'integer' } } }), ...badImport({ type: 'object', properties: { error: str, reason: str, entries: { type: 'array', items: { type: 'object', properties: { index: { type: ['integer', 'null'] }, message: str } } } } }), ...errors(401, 403, 409) },
    },
  },
  '/api/v1/imports/social-indicators': {
    post: {
      summary: 'Import indicator values per district and period (CSV)',
      description:
        `${ADMIN} CSV (RFC 4180) with a header naming the columns ${SOCIAL_COLUMNS.join(', ')} in any order; separator , or ; (guessed from the header); decimal mark . or , (no thousands separators); UTF-8, a byte-order mark is fine. ` +
        'district: a district id or "kommune" (the whole municipality); indicator: an id from the catalogue; period: 2025, 2025-H1, 2025-Q3, 2025-09 or 2024/25; individuals: how many people the value rests on (the population of a share). ' +
        'A row with the same district, indicator and period as a stored one replaces it.',
      parameters: [sourceParam, sampleParam],
      requestBody: { required: true, content: { 'text/csv': { schema: { type: 'string', examples: ['district,indicator,period,value,individuals\nkommune,unemployment,2025-H1,3.4,19000\n'] } } } },
      responses: {
        200: json({ type: 'object', properties: { imported: { type: 'integer' }, indicators: { type: 'array', items: str }, districts: { type: 'array', items: str }, periods: { type: 'array', items: str } } }),
        ...badImport(rowErrors),
        ...errors(401, 403, 409),
      },
    },
  },
  '/api/v1/imports/districts': {
    post: {
      summary: 'Import district boundaries (GeoJSON)',
      description: `${ADMIN} A FeatureCollection of Polygon or MultiPolygon features with properties id and name; WGS84, rings closed. A district with the same id is replaced.`,
      parameters: [sourceParam],
      requestBody: { required: true, content: { 'application/geo+json': { schema: featureCollection({ id: str, name: str }) }, 'application/json': { schema: featureCollection({ id: str, name: str }) } } },
      responses: { 200: json({ type: 'object', properties: { created: { type: 'integer' }, updated: { type: 'integer' }, districts: { type: 'array', items: str } } }), ...badImport(featureErrors), ...errors(401, 403) },
    },
  },
  '/api/v1/imports/site-map': {
    post: {
      summary: 'Import the site map: where sites, cameras and zones are, and which district each site is in (GeoJSON)',
      description:
        `${ADMIN} Features with properties kind (site | camera | zone), site, camera (camera, zone), zone (zone), name; a site feature may name its district, else the district whose boundary contains it is taken. ` +
        'Sites the hub does not know are created (cameras are not: byliv-hub camera add). The map of every site named is replaced.',
      requestBody: { required: true, content: { 'application/geo+json': { schema: featureCollection(siteMapProps) }, 'application/json': { schema: featureCollection(siteMapProps) } } },
      responses: {
        200: json({
          type: 'object',
          properties: {
            features: { type: 'integer' },
            sites: { type: 'array', items: str },
            createdSites: { type: 'array', items: str },
            placements: { type: 'array', items: { type: 'object', properties: { site: str, district: { type: ['string', 'null'] } } } },
          },
        }),
        ...badImport(featureErrors),
        ...errors(401, 403),
      },
    },
  },
};
