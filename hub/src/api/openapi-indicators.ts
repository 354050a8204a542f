/** OpenAPI paths of the indicators routes (merged into openapi.ts). Schemas are inline, so this file stands alone. */
import { DWELL_BIN_EDGES_SECONDS } from '@byliv/protocol';
import { MEASURES, PERIODS, SERIES_ROLLUPS } from '../indicators/index.ts';

const errorRef = { $ref: '#/components/schemas/Error' };
const ERROR_TEXT: Record<number, string> = { 400: 'Bad request (the reason names the parameter)', 401: 'Not signed in, or unknown token', 404: 'Unknown site, camera, zone, line, installation or district' };
const errors = Object.fromEntries([400, 401, 404].map((c) => [String(c), { description: ERROR_TEXT[c], content: { 'application/json': { schema: errorRef } } }]));
const json = (schema: object) => ({ description: 'OK', content: { 'application/json': { schema } } });
const q = (name: string, description: string, schema: object, required = false) => ({ name, in: 'query', required, description, schema });
const ROLES = 'Roles: admin, planner, researcher. Local time Europe/Copenhagen (days of 23, 24 or 25 hours). ';
const RULE =
  'A UTC hour is observed when every camera of the subject saw ≥ 50 % of it; its counts are scaled to the full hour (per camera, 3600 / seen seconds). Unobserved hours are null, never 0.';

const num = { type: ['number', 'null'] };
const subjectParam = q(
  'subject',
  'site:<site> | zone:<site>/<camera>/<zone> | line:<site>/<camera>/<line> | installation:<id> | district:<id>. Passers: line crossings both ways where the subject (a district: each site) has lines, else zone entries.',
  { type: 'string', examples: ['site:park', 'zone:park/cam1/bench'] },
  true,
);
const dateOrInstant = { type: 'string', description: 'A local date YYYY-MM-DD (its local midnight) or an ISO 8601 time with offset' };
const fromParam = q('from', 'Start, inclusive.', dateOrInstant);
const toParam = q('to', 'End, exclusive (default: the end of today, local).', dateOrInstant);
const classParam = q('class', 'Which movement class passers, crossings and entries count.', { type: 'string', enum: ['person', 'cyclist', 'all'], default: 'all' });
const stayParam = q('stayMinSeconds', 'A visit of at least this long is a staying visit; one of the dwell histogram edges.', { type: 'integer', enum: [...DWELL_BIN_EDGES_SECONDS], default: 30 });
const measureParam = q('measure', 'forward/backward: line subjects only; entries, exits, stayingVisits, personMinutes: not for line subjects.', { type: 'string', enum: [...MEASURES], default: 'passers' });
const subjectSchema = { type: 'object', properties: { kind: { type: 'string', enum: ['site', 'zone', 'line', 'installation', 'district'] }, id: { type: 'string' }, name: { type: 'string' } } };

export const indicatorsPaths: Record<string, object> = {
  '/api/v1/indicators/urban': {
    get: {
      summary: 'Urban-life indicators per local week, month or quarter',
      description:
        ROLES +
        RULE +
        ' Per-day values are means over complete local days (every hour observed); eveningShare = passers 18–24 local / all, over complete days; medianDwellSeconds interpolates within its histogram bucket; installationUse = observed hours with someone in a zone / observed hours. Values without data are null. Zone figures are null for a subject without zones.',
      parameters: [
        subjectParam,
        q('period', 'Period kind; keys 2026-W47 (ISO week, Monday), 2026-11, 2026-Q4.', { type: 'string', enum: [...PERIODS], default: 'month' }),
        q('from', 'Local date; every whole period overlapping [from, to) is given. Default: the 6 periods up to and including the current one (or the one before `to`).', { type: 'string', format: 'date' }),
        q('to', 'Local date, exclusive.', { type: 'string', format: 'date' }),
        stayParam,
        classParam,
      ],
      responses: {
        200: json({
          type: 'object',
          properties: {
            subject: subjectSchema,
            period: { type: 'string' },
            timeZone: { const: 'Europe/Copenhagen' },
            stayMinSeconds: { type: 'integer' },
            class: { type: 'string' },
            periods: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  key: { type: 'string' },
                  start: { type: 'string', format: 'date' },
                  end: { type: 'string', format: 'date', description: 'exclusive' },
                  hours: { type: 'object', properties: { observed: { type: 'integer' }, total: { type: 'integer' } } },
                  days: { type: 'object', properties: { complete: { type: 'integer' }, total: { type: 'integer' } } },
                  values: {
                    type: 'object',
                    properties: { passersPerDay: num, stayingVisitsPerDay: num, personMinutesPerDay: num, medianDwellSeconds: num, eveningShare: num, installationUse: num },
                  },
                },
              },
            },
          },
        }),
        ...errors,
      },
    },
  },
  '/api/v1/series': {
    get: {
      summary: 'A count series in local buckets (hour, day, ISO week, month)',
      description: `${ROLES}${RULE} A bucket's value is the sum of its observed hours, null when none was; observedHours / totalHours say how much it rests on. Default range: the last 7 local days.`,
      parameters: [subjectParam, measureParam, q('rollup', 'Bucket size.', { type: 'string', enum: [...SERIES_ROLLUPS], default: 'day' }), fromParam, toParam, classParam, stayParam],
      responses: {
        200: json({
          type: 'object',
          properties: {
            subject: subjectSchema,
            measure: { type: 'string' },
            rollup: { type: 'string' },
            class: { type: 'string' },
            timeZone: { const: 'Europe/Copenhagen' },
            from: { type: 'string', format: 'date-time' },
            to: { type: 'string', format: 'date-time' },
            points: {
              type: 'array',
              items: { type: 'object', properties: { start: { type: 'string', format: 'date-time' }, end: { type: 'string', format: 'date-time' }, value: num, observedHours: { type: 'integer' }, totalHours: { type: 'integer' } } },
            },
          },
        }),
        ...errors,
      },
    },
  },
  '/api/v1/series/heatmap': {
    get: {
      summary: 'Mean per observed hour by local weekday (Monday 1) and hour',
      description: `${ROLES}${RULE} Default range: the last 28 local days.`,
      parameters: [subjectParam, measureParam, fromParam, toParam, classParam, stayParam],
      responses: {
        200: json({
          type: 'object',
          properties: {
            subject: subjectSchema,
            measure: { type: 'string' },
            timeZone: { const: 'Europe/Copenhagen' },
            from: { type: 'string' },
            to: { type: 'string' },
            cells: { type: 'array', items: { type: 'object', properties: { weekday: { type: 'integer', minimum: 1, maximum: 7 }, hour: { type: 'integer', minimum: 0, maximum: 23 }, mean: num, hours: { type: 'integer' } } } },
          },
        }),
        ...errors,
      },
    },
  },
  '/api/v1/series/dwell': {
    get: {
      summary: 'Zone visits by dwell time (visits seen in observed hours, unscaled) and their median',
      description: `${ROLES}Buckets [0,5), [5,15), … [1800, ∞) seconds. Not for line subjects. Default range: the last 28 local days.`,
      parameters: [subjectParam, fromParam, toParam],
      responses: {
        200: json({
          type: 'object',
          properties: {
            subject: subjectSchema,
            timeZone: { const: 'Europe/Copenhagen' },
            from: { type: 'string' },
            to: { type: 'string' },
            edges: { type: 'array', items: { type: 'integer' } },
            counts: { type: 'array', items: { type: 'integer' }, minItems: 9, maxItems: 9 },
            visits: { type: 'integer' },
            medianSeconds: num,
          },
        }),
        ...errors,
      },
    },
  },
  '/api/v1/subjects': {
    get: {
      summary: 'Subjects for pickers: sites, zones, lines, installations, districts',
      description: `${ROLES}Zones and lines come from every scene version (named by the newest) and from the data of the last 90 days.`,
      parameters: [q('site', 'Only this site (and the districts holding it).', { type: 'string' })],
      responses: {
        200: json({
          type: 'object',
          properties: {
            subjects: {
              type: 'array',
              items: {
                type: 'object',
                properties: { subject: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string' }, site: { type: ['string', 'null'] }, camera: { type: 'string' }, installation: { type: 'string' } },
              },
            },
          },
        }),
        ...errors,
      },
    },
  },
};
