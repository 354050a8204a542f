/** OpenAPI paths of the evaluations routes (merged into openapi.ts). */
import { DWELL_BIN_EDGES_SECONDS } from '@byliv/protocol';

const errorRef = { $ref: '#/components/schemas/Error' };
const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: { 400: 'Bad request', 401: 'Missing or unknown token', 403: 'Wrong role', 404: 'Not found' }[c], content: { 'application/json': { schema: errorRef } } }]));
const q = (name: string, description: string, schema: object, required = false) => ({ name, in: 'query', required, description, schema });
const dateOrTime = { type: 'string', description: 'A local date YYYY-MM-DD (its midnight in Europe/Copenhagen) or an ISO 8601 time with offset', examples: ['2026-05-04', '2026-05-04T08:00:00+02:00'] };
const num = { type: 'number' };
const nullableInterval = { type: ['array', 'null'], items: num, minItems: 2, maxItems: 2, description: '[low, high], 95 %; null when undefined' };

const comparison = {
  type: 'object',
  properties: {
    change: num,
    changeCi95: nullableInterval,
    relativeChange: { type: ['number', 'null'], description: 'ratio − 1; null when a total in the denominator is 0' },
    relativeCi95: nullableInterval,
  },
};

const effect = {
  type: ['object', 'null'],
  description: 'null when the subject has no data for this measure (e.g. no zones → no staying visits or person-minutes).',
  properties: {
    baselinePerWeek: { type: 'number', description: 'T_b = Σ over matched cells of the mean of the cell’s observed baseline hours (a typical week over the matched cells)' },
    interventionPerWeek: { type: 'number', description: 'T_i, the same over the intervention hours' },
    ...comparison.properties,
    did: { ...comparison, type: ['object', 'null'], description: 'Difference in differences against the control: (T_i − T_b) − (C_i − C_b); relative (T_i/T_b)/(C_i/C_b) − 1. null without a control.' },
    cells: { type: 'integer', description: 'Cells this measure was compared on' },
  },
};

const period = {
  type: 'object',
  properties: {
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time', description: 'exclusive' },
    hours: { type: 'integer', description: 'Observed hours of the installation in the period' },
    totalHours: { type: 'integer' },
  },
};

export const evaluationsPaths: Record<string, object> = {
  '/api/v1/evaluations': {
    get: {
      summary: 'Evaluate an installation: before vs after, like with like, optionally against a control',
      description:
        'Roles: admin, planner. Cells are (local weekday, local hour) in Europe/Copenhagen observed in both periods (and by the control). ' +
        'Per period T = Σ cell means; variance from the pooled within-cell variance, Var(T) = s² · Σ 1/n(k); 95 % interval ± 1.96·SE; ' +
        'the relative change has a log-scale interval. An unobserved hour (cameras saw < 50 %) is left out, never read as 0. ' +
        'Hours are treated as independent, so the intervals are likely too narrow; a before/after change is not proof of cause. ' +
        'Defaults: baseline = [installedAt − 28 d, installedAt), intervention = [installedAt, min(installedAt + 28 d, removedAt, now)), cut to whole hours. ' +
        'Caveats: hours_treated_independent (always), no_control, few_matched_cells (< 24), short_baseline / short_intervention (< 14 days of observed hours), ' +
        'no_variance (a period with one sample per cell: no interval), measure_unavailable, control_measure_unavailable (DiD left out for that measure), feature_missing_in_baseline / feature_missing_in_intervention ' +
        '(a line or zone of the installation was not counted in every bin of its camera then: its zeros mean "not counted").',
      parameters: [
        q('installation', 'Installation id.', { type: 'string' }, true),
        q('baselineFrom', 'Start of the baseline, inclusive.', dateOrTime),
        q('baselineTo', 'End of the baseline, exclusive.', dateOrTime),
        q('interventionFrom', 'Start of the intervention period, inclusive.', dateOrTime),
        q('interventionTo', 'End of the intervention period, exclusive.', dateOrTime),
        q('control', 'A control subject: site:<site> | zone:<site>/<camera>/<zone> | line:<site>/<camera>/<line> | installation:<id> | district:<id>.', { type: 'string' }),
        q('stayMinSeconds', 'A visit of at least this long is a staying visit.', { type: 'integer', enum: [...DWELL_BIN_EDGES_SECONDS], default: 30 }),
        q('class', 'Movement class counted as passers.', { type: 'string', enum: ['person', 'cyclist', 'all'], default: 'all' }),
      ],
      responses: {
        200: {
          description: 'The evaluation',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  installation: { $ref: '#/components/schemas/Installation' },
                  subject: { type: 'string', examples: ['installation:bench1'] },
                  control: { type: ['string', 'null'] },
                  timeZone: { const: 'Europe/Copenhagen' },
                  baseline: period,
                  intervention: period,
                  matchedCells: { type: 'integer', description: 'Local weekday × hour cells observed in every period (at most 168)' },
                  stayMinSeconds: { type: 'integer' },
                  class: { type: 'string' },
                  measures: { type: 'object', properties: { passers: effect, stayingVisits: effect, personMinutes: effect } },
                  caveats: { type: 'array', items: { type: 'string' } },
                },
              },
            },
          },
        },
        ...errors(400, 401, 403, 404),
      },
    },
  },
};
