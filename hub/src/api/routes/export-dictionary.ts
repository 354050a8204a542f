/** The researcher export's columns and what each one means, in English and Danish (served as the data dictionary). */
import { z } from '@hono/zod-openapi';

export const EXPORT_COLUMNS = ['period_start', 'period_end', 'site', 'camera', 'feature_type', 'feature_id', 'measure', 'class', 'observed_seconds', 'value', 'suppressed'] as const;
export type ExportColumn = (typeof EXPORT_COLUMNS)[number];

export const DATA_DICTIONARY: Record<ExportColumn, string> = {
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
  observed_seconds:
    'Seconds of the period the camera actually observed (its bins\' length minus their gaps). Less than the period means part of it was not seen; 0 means not observed at all (value empty), so missing data never reads as zero.',
  value:
    'The count (or person-seconds) in the period, over the observed seconds only (not scaled up). Empty when suppressed (see the suppression rule) or when the period was not observed (observed_seconds 0).',
  suppressed: 'true when the value was withheld by the small-count rule.',
};

export const DATA_DICTIONARY_DA: Record<ExportColumn, string> = {
  period_start: 'Periodens start (ISO 8601, UTC). En tællebin hører til den periode, dens start falder i.',
  period_end: 'Periodens slut, eksklusiv (ISO 8601, UTC).',
  site: 'Stedets id (en offentlig plads).',
  camera: 'Kameraets id, entydigt på stedet.',
  feature_type: '"line" (en tællelinje) eller "zone" (et område).',
  feature_id: 'Id for linjen eller zonen i kameraets scene.',
  measure:
    'forward / backward: personer, der krydser linjen i dens retning (fra dens venstre til dens højre side som tegnet, fodpunkt, y nedad) eller den anden vej; ' +
    'entries / exits: personer, der går ind i eller ud af zonen; person_seconds: summen over observeret tid af antal personer i zonen (sekunder).',
  class: '"person" (til fods), "cyclist" (en person på cykel) eller "all" (begge; kun person_seconds).',
  observed_seconds:
    'Sekunder af perioden, kameraet faktisk observerede (binnenes længde minus deres huller). Mindre end perioden betyder, at en del ikke blev set; 0 betyder slet ikke observeret (værdien er tom), så manglende data aldrig læses som nul.',
  value:
    'Antallet (eller personsekunderne) i perioden, kun over de observerede sekunder (ikke opskaleret). Tom, når den er tilbageholdt (se reglen for små tal), eller når perioden ikke blev observeret (observed_seconds 0).',
  suppressed: 'true, når værdien er tilbageholdt af reglen for små tal.',
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
    observed_seconds: z.number().openapi({ description: DATA_DICTIONARY.observed_seconds }),
    value: z.number().nullable().openapi({ description: DATA_DICTIONARY.value }),
    suppressed: z.boolean().openapi({ description: DATA_DICTIONARY.suppressed }),
  })
  .openapi('ExportRow');
export type ExportRow = z.infer<typeof ExportRow>;

// The columns are exactly the row's fields.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const columnsAreTheRow: Same<ExportColumn, keyof ExportRow> = true;
void columnsAreTheRow;

const dictionaryOf = (texts: Record<ExportColumn, string>, name: string, description: string) =>
  z
    .object(Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, z.string().openapi({ example: texts[c] })])) as Record<ExportColumn, z.ZodString>)
    .openapi(name, { description });

/** The data dictionary: every column, in order, with what it means. */
export const DataDictionary = dictionaryOf(DATA_DICTIONARY, 'DataDictionary', 'What each export column means, in column order');
export const DataDictionaryDa = dictionaryOf(DATA_DICTIONARY_DA, 'DataDictionaryDa', 'Hvad hver kolonne i udtrækket betyder (dansk), i kolonnernes rækkefølge');

export const SuppressionRule = z.object({ en: z.string(), da: z.string() }).openapi('SuppressionRule', { description: 'The small-count rule applied, with its k, in English and Danish' });

export const DEFAULT_CITATION =
  'Byliv urban-life counts. Anonymous counts from computer-vision counting at the edge; no images or individual trajectories were stored or transmitted. ' +
  'Please cite the data provider (the municipality operating the cameras), the site and the period of the data used.';

/** The licence of the data unless the data owner chose another (as Telraam uses for open counts). */
export const DEFAULT_LICENCE = 'CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)';
