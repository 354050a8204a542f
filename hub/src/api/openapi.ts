/** The OpenAPI 3.1 description of the hub API, written by hand next to the routes it describes. */
import { ROLLUPS } from '../store/index.ts';
import { indicatorsPaths } from './openapi-indicators.ts';
import { socialPaths } from './openapi-social.ts';
import { sessionPaths } from './openapi-session.ts';
import { evaluationsPaths } from './openapi-evaluations.ts';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const q = (name: string, description: string, schema: object, required = false) => ({ name, in: 'query', required, description, schema });
const time = { type: 'string', description: 'ISO 8601 time with offset, or a date (midnight UTC)', examples: ['2025-05-01T00:00:00Z'] };
const from = q('from', 'Start of the range, inclusive (bins starting at or after it).', time);
const to = q('to', 'End of the range, exclusive.', time);
const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: { 400: 'Bad request', 401: 'Missing or unknown token', 403: 'Wrong role', 404: 'Not found' }[c], content: { 'application/json': { schema: ref('Error') } } }]));
const json = (schema: object, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const roles = (...r: string[]) => `Roles: ${r.join(', ')}.`;

export function openApiDocument(serverUrl?: string): object {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Byliv hub API',
      version: '1.0.0',
      description:
        'Anonymous urban-life counts from Byliv edge agents: sites, cameras, installations, counts rolled up over time, camera health and data completeness, and the researcher export. ' +
        'All times are UTC. Errors are JSON { error, reason }.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ bearer: [] }, { session: [] }],
    paths: {
      ...sessionPaths,
      ...indicatorsPaths,
      ...socialPaths,
      ...evaluationsPaths,
      '/healthz': { get: { summary: 'Liveness', security: [], responses: { 200: json({ type: 'object', properties: { ok: { type: 'boolean' } } }) } } },
      '/api/v1/openapi.json': { get: { summary: 'This document', security: [], responses: { 200: json({ type: 'object' }) } } },
      '/api/v1/sites': { get: { summary: 'Sites', description: roles('admin', 'planner', 'researcher'), responses: { 200: json({ type: 'object', properties: { sites: { type: 'array', items: ref('Site') } } }), ...errors(401, 403) } } },
      '/api/v1/sites/{site}/cameras': {
        get: {
          summary: 'Cameras of a site, with their current scene',
          description: roles('admin', 'planner', 'researcher'),
          parameters: [{ name: 'site', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: json({ type: 'object', properties: { site: { type: 'string' }, cameras: { type: 'array', items: ref('Camera') } } }), ...errors(401, 403, 404) },
        },
      },
      '/api/v1/sites/{site}/cameras/{camera}/scene': {
        put: {
          summary: 'Record a new version of a camera scene (lines, zones, their installations)',
          description: roles('admin'),
          parameters: [
            { name: 'site', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'camera', in: 'path', required: true, schema: { type: 'string' } },
            q('validFrom', 'When this scene version starts to apply (default now).', time),
          ],
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', description: 'A Scene as in @byliv/protocol' } } } },
          responses: { 201: json({ type: 'object', properties: { site: { type: 'string' }, camera: { type: 'string' }, version: { type: 'integer' } } }), ...errors(400, 401, 403) },
        },
      },
      '/api/v1/installations': {
        get: {
          summary: 'Installations (benches, stages, play elements) with install and removal dates',
          description: roles('admin', 'planner', 'researcher'),
          parameters: [q('site', 'Only this site.', { type: 'string' })],
          responses: { 200: json({ type: 'object', properties: { installations: { type: 'array', items: ref('Installation') } } }), ...errors(400, 401, 403) },
        },
        post: {
          summary: 'Add an installation, or update the one with the same id',
          description: roles('admin'),
          requestBody: { required: true, content: { 'application/json': { schema: ref('Installation') } } },
          responses: { 200: json(ref('Installation'), 'Updated'), 201: json(ref('Installation'), 'Created'), ...errors(400, 401, 403, 404) },
        },
      },
      '/api/v1/counts': {
        get: {
          summary: 'Counts summed over time buckets',
          description: `${roles('admin', 'planner')} Buckets are UTC (weeks start on Monday); a bin counts in the bucket its start falls in. observedSeconds says how much of the bucket the camera saw.`,
          parameters: [
            q('site', 'Site id.', { type: 'string' }, true),
            q('camera', 'Only this camera.', { type: 'string' }),
            from,
            to,
            q('rollup', 'Bucket length.', { type: 'string', enum: ROLLUPS, default: 'hour' }),
            q('by', 'Lines (by direction) or zones.', { type: 'string', enum: ['line', 'zone'], default: 'line' }),
            q('class', 'One movement class, or all (summed).', { type: 'string', enum: ['person', 'cyclist', 'all'], default: 'all' }),
          ],
          responses: { 200: json(ref('Counts')), ...errors(400, 401, 403, 404) },
        },
      },
      '/api/v1/summary': {
        get: {
          summary: 'Totals of one camera over a range (the CountSummary the edge prints for a run)',
          description: `${roles('admin', 'planner')} seconds = Σ (binSeconds − gapSeconds) and frames = Σ framesProcessed over the bins; lines and zones summed over classes; maxOccupancy the largest occupancyMax.`,
          parameters: [q('camera', 'Camera id.', { type: 'string' }, true), q('site', 'Needed when the camera id is used at several sites.', { type: 'string' }), from, to],
          responses: { 200: json(ref('CountSummary')), ...errors(400, 401, 403, 404) },
        },
      },
      '/api/v1/health/cameras': {
        get: { summary: 'Every camera: state, last seen (hub clock), outbox depth, newest bin', description: roles('admin', 'planner'), responses: { 200: json({ type: 'object', properties: { cameras: { type: 'array', items: ref('CameraHealth') } } }), ...errors(401, 403) } },
      },
      '/api/v1/health/completeness': {
        get: {
          summary: 'Share of each hour a camera actually observed',
          description: `${roles('admin', 'planner')} A bin's observed time (binSeconds − gapSeconds) is spread over the hours it overlaps. Hours without bins have share 0. Default range: the last 24 hours; at most 366 days.`,
          parameters: [q('camera', 'Camera id.', { type: 'string' }, true), q('site', 'Site id.', { type: 'string' }), from, to],
          responses: { 200: json(ref('Completeness')), ...errors(400, 401, 403, 404) },
        },
      },
      '/api/v1/health/dead-letters': {
        get: { summary: 'Messages the hub refused, newest first, with the reason', description: roles('admin'), parameters: [q('limit', '1–1000, default 100.', { type: 'integer' })], responses: { 200: json({ type: 'object' }), ...errors(400, 401, 403) } },
      },
      '/api/v1/export': {
        get: {
          summary: 'Researcher export (streamed CSV or JSON), small counts suppressed; every download is audited',
          description: roles('admin', 'planner', 'researcher'),
          parameters: [
            q('site', 'Site id.', { type: 'string' }, true),
            q('camera', 'Only this camera.', { type: 'string' }),
            from,
            to,
            q('rollup', 'Period length.', { type: 'string', enum: ROLLUPS, default: 'hour' }),
            q('format', 'csv: header line then rows; json: { header: { query, citation, columns, suppressBelow, … }, rows: [...] }.', { type: 'string', enum: ['csv', 'json'], default: 'csv' }),
          ],
          responses: {
            200: { description: 'The rows', content: { 'text/csv': { schema: { type: 'string' } }, 'application/json': { schema: { type: 'object', properties: { header: { type: 'object' }, rows: { type: 'array', items: ref('ExportRow') } } } } } },
            ...errors(400, 401, 403, 404),
          },
        },
      },
      '/api/v1/export/dictionary': { get: { summary: 'What each export column means', description: roles('admin', 'planner', 'researcher'), responses: { 200: json({ type: 'object' }), ...errors(401, 403) } } },
      '/api/v1/export/citation': { get: { summary: 'How to cite the data', description: roles('admin', 'planner', 'researcher'), responses: { 200: { description: 'Citation text', content: { 'text/plain': { schema: { type: 'string' } } } }, ...errors(401, 403) } } },
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A token from `byliv-hub token create --role admin|planner|researcher`.' },
        session: { type: 'apiKey', in: 'cookie', name: 'byliv_session', description: 'Set by POST /api/v1/session (the dashboard sign-in); 12 hours; state-changing requests with it must come from the same origin.' },
      },
      schemas: {
        Error: { type: 'object', required: ['error', 'reason'], properties: { error: { type: 'string', enum: ['bad_request', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'too_many_requests', 'internal'] }, reason: { type: 'string' } } },
        Site: { type: 'object', properties: { site: { type: 'string' }, name: { type: ['string', 'null'] }, createdAt: { type: 'string' }, cameras: { type: 'integer' } } },
        Camera: { type: 'object', properties: { site: { type: 'string' }, camera: { type: 'string' }, mqttUsername: { type: 'string' }, createdAt: { type: 'string' }, scene: { type: ['object', 'null'] } } },
        Installation: {
          type: 'object',
          required: ['id', 'site', 'name', 'kind', 'installedAt'],
          properties: { id: { type: 'string' }, site: { type: 'string' }, name: { type: 'string' }, kind: { type: 'string' }, installedAt: { type: 'string', format: 'date-time' }, removedAt: { type: ['string', 'null'], format: 'date-time' } },
        },
        Counts: {
          type: 'object',
          properties: {
            site: { type: 'string' },
            rollup: { type: 'string' },
            by: { type: 'string' },
            class: { type: 'string' },
            timeZone: { const: 'UTC' },
            rows: {
              type: 'array',
              items: {
                type: 'object',
                description: 'by=line: line, forward, backward; by=zone: zone, entries, exits, personSeconds, occupancyMax (person-seconds and occupancy are over both classes).',
                properties: {
                  start: { type: 'string' }, end: { type: 'string' }, site: { type: 'string' }, camera: { type: 'string' }, line: { type: 'string' }, zone: { type: 'string' }, class: { type: 'string' },
                  forward: { type: 'integer' }, backward: { type: 'integer' }, entries: { type: 'integer' }, exits: { type: 'integer' }, personSeconds: { type: 'number' }, occupancyMax: { type: 'integer' }, observedSeconds: { type: 'number' },
                },
              },
            },
          },
        },
        CountSummary: {
          type: 'object',
          required: ['frames', 'seconds', 'lines', 'zones'],
          properties: {
            frames: { type: 'integer' },
            seconds: { type: 'number' },
            lines: { type: 'object', additionalProperties: { type: 'object', properties: { forward: { type: 'integer' }, backward: { type: 'integer' } } } },
            zones: { type: 'object', additionalProperties: { type: 'object', properties: { entries: { type: 'integer' }, exits: { type: 'integer' }, personSeconds: { type: 'number' }, maxOccupancy: { type: 'integer' } } } },
          },
        },
        CameraHealth: {
          type: 'object',
          properties: {
            site: { type: 'string' }, camera: { type: 'string' }, lastSeen: { type: ['string', 'null'] }, state: { type: 'string', enum: ['online', 'offline', 'unknown'] },
            outboxDepth: { type: ['integer', 'null'] }, outboxDropped: { type: ['integer', 'null'] }, lastBinStart: { type: ['string', 'null'] }, batches: { type: 'integer' }, status: { type: ['object', 'null'] },
          },
        },
        Completeness: {
          type: 'object',
          properties: {
            site: { type: 'string' }, camera: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, share: { type: 'number' },
            hours: { type: 'array', items: { type: 'object', properties: { start: { type: 'string' }, observedSeconds: { type: 'number' }, share: { type: 'number' }, framesProcessed: { type: 'integer' }, framesExpected: { type: 'integer' }, frameShare: { type: ['number', 'null'] } } } },
          },
        },
        ExportRow: {
          type: 'object',
          properties: {
            period_start: { type: 'string' }, period_end: { type: 'string' }, site: { type: 'string' }, camera: { type: 'string' }, feature_type: { type: 'string', enum: ['line', 'zone'] }, feature_id: { type: 'string' },
            measure: { type: 'string', enum: ['forward', 'backward', 'entries', 'exits', 'person_seconds'] }, class: { type: 'string', enum: ['person', 'cyclist', 'all'] }, value: { type: ['number', 'null'] }, suppressed: { type: 'boolean' },
          },
        },
      },
    },
  };
}
