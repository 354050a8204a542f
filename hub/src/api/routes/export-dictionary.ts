/** The researcher export's columns and what each one means (served as the data dictionary). */
import { z } from '@hono/zod-openapi';

export const EXPORT_COLUMNS = ['period_start', 'period_end', 'site', 'camera', 'feature_type', 'feature_id', 'measure', 'class', 'value', 'suppressed'] as const;

export const DATA_DICTIONARY: Record<(typeof EXPORT_COLUMNS)[number], string> = {
  period_start: 'Start of the period (ISO 8601, UTC). Count bins are attributed to the period their start falls in.',
  period_end: 'End of the period, exclusive (ISO 8601, UTC).',
  site: 'Site id (a public square).',
  camera: 'Camera id, unique within the site.',
  feature_type: '"line" (a counting line) or "zone" (an area).',
  feature_id: 'Id of the line or zone in the camera\'s scene.',
  measure:
    'forward / backward: people crossing the line in its forward direction (from its left side to its right side as drawn, foot point, y down) or the other way; ' +
    'entries / exits: people entering or leaving the zone; person_seconds: sum over observed time of the number of people inside the zone (seconds).',
  class: '"person" (on foot), "cyclist" (a person riding a bicycle), or "all" (both; person_seconds only).',
  value:
    'The count (or person-seconds) in the period. Empty when suppressed: counts from 1 to the threshold − 1 are not shown; ' +
    'person_seconds is not shown where fewer people than the threshold entered the zone in the period.',
  suppressed: 'true when the value was withheld by the small-count rule.',
};

/** One export row; each column described by its dictionary entry. */
export const ExportRow = z
  .object({
    period_start: z.string().openapi({ format: 'date-time', description: DATA_DICTIONARY.period_start }),
    period_end: z.string().openapi({ format: 'date-time', description: DATA_DICTIONARY.period_end }),
    site: z.string().openapi({ description: DATA_DICTIONARY.site }),
    camera: z.string().openapi({ description: DATA_DICTIONARY.camera }),
    feature_type: z.enum(['line', 'zone']).openapi({ description: DATA_DICTIONARY.feature_type }),
    feature_id: z.string().openapi({ description: DATA_DICTIONARY.feature_id }),
    measure: z.enum(['forward', 'backward', 'entries', 'exits', 'person_seconds']).openapi({ description: DATA_DICTIONARY.measure }),
    class: z.enum(['person', 'cyclist', 'all']).openapi({ description: DATA_DICTIONARY.class }),
    value: z.number().nullable().openapi({ description: DATA_DICTIONARY.value }),
    suppressed: z.boolean().openapi({ description: DATA_DICTIONARY.suppressed }),
  })
  .openapi('ExportRow');
export type ExportRow = z.infer<typeof ExportRow>;

// The columns are exactly the row's fields.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const columnsAreTheRow: Same<(typeof EXPORT_COLUMNS)[number], keyof ExportRow> = true;
void columnsAreTheRow;

/** The data dictionary: every column, in order, with what it means. */
export const DataDictionary = z
  .object(Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, z.string().openapi({ example: DATA_DICTIONARY[c] })])) as Record<(typeof EXPORT_COLUMNS)[number], z.ZodString>)
  .openapi('DataDictionary', { description: 'What each export column means, in column order' });

export const DEFAULT_CITATION =
  'Byliv urban-life counts. Anonymous counts from computer-vision counting at the edge; no images or individual trajectories were stored or transmitted. ' +
  'Please cite the data provider (the municipality operating the cameras), the site and the period of the data used.';
