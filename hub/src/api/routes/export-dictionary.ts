/** The researcher export's columns and what each one means (served as the data dictionary). */
export interface ExportRow {
  period_start: string;
  period_end: string;
  site: string;
  camera: string;
  feature_type: 'line' | 'zone';
  feature_id: string;
  measure: 'forward' | 'backward' | 'entries' | 'exits' | 'person_seconds';
  class: 'person' | 'cyclist' | 'all';
  value: number | null;
  suppressed: boolean;
}

export const EXPORT_COLUMNS = ['period_start', 'period_end', 'site', 'camera', 'feature_type', 'feature_id', 'measure', 'class', 'value', 'suppressed'] as const satisfies readonly (keyof ExportRow)[];

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

export const DEFAULT_CITATION =
  'Byliv urban-life counts. Anonymous counts from computer-vision counting at the edge; no images or individual trajectories were stored or transmitted. ' +
  'Please cite the data provider (the municipality operating the cameras), the site and the period of the data used.';
