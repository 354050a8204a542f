/**
 * Small-count suppression for everything a researcher can see (the municipal practice: a
 * category with fewer than k = 5 individuals is not shown), built so that no sequence of
 * answers can be subtracted into a count under k.
 *
 * The rule, in three steps:
 * 1. Base cells. Counts are cut into one fixed grid: one UTC hour (a whole local hour in
 *    Europe/Copenhagen, whose offsets are whole hours) × camera × line/zone × measure × class,
 *    a bin belonging to the hour its start falls in. A base cell is *small* when it holds 1 to
 *    k − 1 (0 is shown: nobody is no one to protect). Zone person-seconds are small when they
 *    are above 0 and fewer than k people (both classes) entered the zone in that hour, since a
 *    few long stays would describe a few individuals.
 * 2. Every published number is a sum of base cells. A cell of any coarser period (day, week)
 *    is withheld when any of its base cells is small (complementary suppression, upwards).
 *    So a published cell is exactly the sum of published base cells, each 0 or ≥ k.
 * 3. Whatever is published is therefore a function of published base cells only; differences
 *    of answers (shifted windows, overlapping periods, a total minus its parts, a rollup minus
 *    a finer one) can only be sums and differences of published base cells, never a small one.
 *
 * Pure: plain values in, plain decisions out.
 */

export const DEFAULT_SUPPRESS_BELOW = 5;

export interface PublishedValue {
  value: number | null;
  suppressed: boolean;
}

/** One base cell's value and the people it describes (for counts, the count itself). */
export interface BaseValue {
  value: number;
  /** person_seconds: the zone's entries (both classes) in the cell; otherwise omitted (= value). */
  people?: number;
}

/** Whether a base cell would describe fewer than `threshold` people. */
export function isSmall(cell: BaseValue, threshold: number): boolean {
  const people = cell.people ?? cell.value;
  return cell.value > 0 && people < threshold;
}

/** The published form of one base cell. */
export function suppress(row: { measure: string; value: number; entries?: number }, threshold: number): PublishedValue {
  const small = isSmall({ value: row.value, people: row.measure === 'person_seconds' ? (row.entries ?? 0) : undefined }, threshold);
  return small ? { value: null, suppressed: true } : { value: row.value, suppressed: false };
}

/**
 * A published cell made of base cells: their sum, withheld as a whole when any part is small.
 * `people` sums the parts' people (for person-seconds: the cell's entries).
 */
export class CellAccumulator {
  value = 0;
  people = 0;
  smallParts = 0;

  add(part: BaseValue, threshold: number): void {
    this.value += part.value;
    this.people += part.people ?? part.value;
    if (isSmall(part, threshold)) this.smallParts++;
  }

  published(): PublishedValue {
    return this.smallParts > 0 ? { value: null, suppressed: true } : { value: this.value, suppressed: false };
  }
}

export const SUPPRESSION_RULE = {
  en: (k: number) =>
    `Small counts withheld (k = ${k}): counts are cut into base cells of one UTC hour (a whole local hour) per camera, line/zone, measure and class; ` +
    `a base cell holding 1 to ${k - 1} is withheld, and so is every longer period (day, week) containing one, so that no difference of two answers reveals a count under ${k}; 0 is shown. ` +
    `Zone person-seconds are withheld where fewer than ${k} people entered the zone. A cell with observed_seconds 0 was not observed: its value is empty, not 0.`,
  da: (k: number) =>
    `Små tal tilbageholdt (k = ${k}): tællingerne deles i grundceller på én UTC-time (en hel lokal time) pr. kamera, linje/zone, mål og klasse; ` +
    `en grundcelle med 1 til ${k - 1} tilbageholdes, og det gør enhver længere periode (dag, uge), der indeholder en, så ingen forskel mellem to svar afslører et tal under ${k}; 0 vises. ` +
    `Personsekunder i en zone tilbageholdes, hvor færre end ${k} personer gik ind i zonen. En celle med observed_seconds 0 blev ikke observeret: værdien er tom, ikke 0.`,
} as const;
