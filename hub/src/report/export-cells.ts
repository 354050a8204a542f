/**
 * The export's cells from its base cells: rows of one base rollup (hour; 15 min for an
 * admin's or planner's 15-minute export), in the store's order, folded into the requested
 * rollup's cells, each withheld when any base cell in it is small (suppression.ts). Streams:
 * only one cell period of one kind (lines, zone counts, person-seconds) is held at a time.
 */
import { bucketStart, type MeasureRow, type Rollup } from '../store/index.ts';
import { CellAccumulator, type PublishedValue } from './suppression.ts';

export interface PublishedCell {
  bucketMs: number;
  site: string;
  camera: string;
  feature: MeasureRow['feature'];
  featureId: string;
  measure: MeasureRow['measure'];
  class: MeasureRow['class'];
  /** The sum of its base cells (published or not: the caller decides from `published`). */
  published: PublishedValue;
}

const MEASURE_ORDER: Record<MeasureRow['measure'], number> = { forward: 0, backward: 1, entries: 2, exits: 3, person_seconds: 4 };
// The store yields lines, then zone counts, then person-seconds, each in time order.
const kindOf = (m: MeasureRow['measure']) => (m === 'forward' || m === 'backward' ? 0 : m === 'person_seconds' ? 2 : 1);

const compare = (a: PublishedCell, b: PublishedCell) =>
  a.site < b.site ? -1 : a.site > b.site ? 1 : a.camera < b.camera ? -1 : a.camera > b.camera ? 1 : a.featureId < b.featureId ? -1 : a.featureId > b.featureId ? 1 : a.class < b.class ? -1 : a.class > b.class ? 1 : MEASURE_ORDER[a.measure] - MEASURE_ORDER[b.measure];

export async function* publishedCells(base: AsyncIterable<MeasureRow>, rollup: Rollup, threshold: number): AsyncGenerator<PublishedCell> {
  let group = new Map<string, { cell: Omit<PublishedCell, 'published'>; acc: CellAccumulator }>();
  let groupKey: string | null = null;
  function* flush(): Generator<PublishedCell> {
    const cells = [...group.values()].map(({ cell, acc }) => ({ ...cell, published: acc.published() }));
    group = new Map();
    yield* cells.sort(compare);
  }
  for await (const row of base) {
    const bucketMs = bucketStart(row.bucketMs, rollup);
    const key = `${kindOf(row.measure)}|${bucketMs}`;
    if (key !== groupKey) {
      yield* flush();
      groupKey = key;
    }
    const cellKey = `${row.site}|${row.camera}|${row.feature}|${row.featureId}|${row.class}|${row.measure}`;
    let entry = group.get(cellKey);
    if (!entry) {
      entry = { cell: { bucketMs, site: row.site, camera: row.camera, feature: row.feature, featureId: row.featureId, measure: row.measure, class: row.class }, acc: new CellAccumulator() };
      group.set(cellKey, entry);
    }
    entry.acc.add({ value: row.value, people: row.measure === 'person_seconds' ? (row.entries ?? 0) : undefined }, threshold);
  }
  yield* flush();
}
