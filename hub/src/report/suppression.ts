/**
 * Small-count suppression for researcher exports (the municipal practice: a category with
 * fewer than 5 individuals is not shown). A count from 1 to threshold − 1 is blanked and
 * flagged; 0 is shown (nobody is no one to protect). Person-seconds are shown only where at
 * least `threshold` people entered the zone in that period, since a few long stays would
 * otherwise describe a few individuals.
 */
import type { MeasureRow } from '../store/index.ts';

export const DEFAULT_SUPPRESS_BELOW = 5;

export interface PublishedValue {
  value: number | null;
  suppressed: boolean;
}

export function suppress(row: Pick<MeasureRow, 'measure' | 'value' | 'entries'>, threshold: number): PublishedValue {
  const people = row.measure === 'person_seconds' ? (row.entries ?? 0) : row.value;
  const small = row.measure === 'person_seconds' ? row.value > 0 && people < threshold : people > 0 && people < threshold;
  return small ? { value: null, suppressed: true } : { value: row.value, suppressed: false };
}
