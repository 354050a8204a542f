/**
 * What a researcher's series, heat maps, dwell and indicators rest on: the subject's hour
 * records with every hour that holds a small base cell (report/base-cells.ts) turned into a
 * not-observed hour. Every figure those routes compute is then a sum (or mean) over hours
 * whose every base cell is 0 or ≥ k, the same cells the export publishes, so no difference
 * of answers (across routes too) reveals a count under k. Admins and planners see the hours
 * as they are (they read raw counts on /counts anyway).
 */
import type { HubStore } from '../../store/index.ts';
import type { HourRecord, SubjectHours } from '../../indicators/index.ts';
import { offGrid, publishedUntil, withheldHours } from '../../report/index.ts';
import { badRequest } from '../errors.ts';

/** Bins may last up to a day: those starting this long before `from` can reach into it (as the indicators read them). */
const LOOKBACK_MS = 86_400_000;

/** A researcher's range must be whole hours (the base cells); a 400 naming the parameter otherwise. */
export function requireWholeHours(fromMs: number, toMs: number): void {
  const off = offGrid('from', fromMs, 'hour') ?? offGrid('to', toMs, 'hour');
  if (off) throw badRequest(off);
}

const notObserved = (r: HourRecord): HourRecord => ({
  ...r,
  observed: false,
  passers: null,
  forward: null,
  backward: null,
  entries: null,
  exits: null,
  stayingVisits: null,
  personMinutes: null,
  occupied: null,
  dwellHistogram: null,
  rawDwellHistogram: null,
});

/** The hours with a small base cell among the subject's lines and zones, on any of its cameras. */
export async function subjectWithheldHours(store: HubStore, h: SubjectHours, fromMs: number, toMs: number, threshold: number): Promise<Set<number>> {
  const withheld = new Set<number>();
  for (const src of h.subject.sources) {
    for (const camera of src.cameras) {
      const has = (set: Set<string> | 'all', id: string) => set === 'all' || set.has(`${camera}/${id}`);
      const [person, cyclist] = await Promise.all(
        (['person', 'cyclist'] as const).map((cls) => store.bins.cameraRows(src.site, camera, fromMs - LOOKBACK_MS, toMs, cls)),
      );
      const hours = withheldHours(
        {
          bins: person.bins,
          byClass: [
            { class: 'person', lines: person.lines, zoneCounts: person.zoneCounts },
            { class: 'cyclist', lines: cyclist.lines, zoneCounts: cyclist.zoneCounts },
          ],
          zoneBins: person.zoneBins,
        },
        { line: (id) => has(src.lines, id), zone: (id) => has(src.zones, id) },
        threshold,
      );
      for (const hour of hours) withheld.add(hour);
    }
  }
  return withheld;
}

/** The subject's hours as a researcher may see them. */
export async function researcherView(store: HubStore, h: SubjectHours, fromMs: number, toMs: number, threshold: number, nowMs: number): Promise<SubjectHours> {
  const withheld = await subjectWithheldHours(store, h, fromMs, toMs, threshold);
  // Hours still filling up are not shown either (report/grid.ts: publishedUntil).
  const until = publishedUntil(nowMs);
  return { ...h, hours: h.hours.map((r) => (withheld.has(r.hourStartMs) || r.hourStartMs >= until ? notObserved(r) : r)) };
}
