/**
 * The monitoring cards' data, put together from the API's answers: one card per district or
 * site with its urban-life indicators and social indicators, plus sorting. Pure.
 */
import type { Light, SocialIndicator, SocialValue, UrbanIndicator, UrbanIndicators, UrbanPeriod } from '../api/types.ts';

export interface SocialRow {
  indicator: SocialIndicator;
  latest: SocialValue | null;
  /** Values over the periods, oldest first (null where suppressed or missing). */
  trend: (number | null)[];
  periods: string[];
}

export interface CardModel {
  subject: string;
  kind: 'district' | 'site';
  id: string;
  name: string;
  urban: UrbanIndicators | null;
  /** The latest finished urban period with data; else the latest with data; else the latest. */
  current: UrbanPeriod | null;
  social: SocialRow[];
  worstLight: Light | null;
  sample: boolean;
}

const LIGHT_RANK: Record<Light, number> = { red: 3, yellow: 2, green: 1 };

export function worstLight(lights: readonly (Light | null | undefined)[]): Light | null {
  let worst: Light | null = null;
  for (const l of lights) if (l && (!worst || LIGHT_RANK[l] > LIGHT_RANK[worst])) worst = l;
  return worst;
}

/** Social rows of one district: per indicator its latest period's value and its trend. */
export function socialRows(district: string, indicators: readonly SocialIndicator[], values: readonly SocialValue[]): SocialRow[] {
  const mine = values.filter((v) => v.district === district);
  return indicators
    .map((indicator) => {
      const rows = mine.filter((v) => v.indicator === indicator.id).sort((a, b) => a.period.localeCompare(b.period));
      return { indicator, latest: rows[rows.length - 1] ?? null, trend: rows.map((r) => (r.suppressed ? null : r.value)), periods: rows.map((r) => r.period) };
    })
    .filter((r) => r.latest !== null);
}

const hasData = (p: UrbanPeriod) => Object.values(p.values).some((v) => v !== null);

/**
 * The period a card leads with. A council meeting on the 2nd should read last month, not a
 * month resting on one day: the latest finished period with data, else the latest with data
 * (a new camera), else the latest (all dashes).
 */
export function currentPeriod(periods: readonly UrbanPeriod[], today?: string): UrbanPeriod | null {
  const newestFirst = [...periods].reverse();
  return newestFirst.find((p) => (today === undefined || p.end <= today) && hasData(p)) ?? newestFirst.find(hasData) ?? newestFirst[0] ?? null;
}

export function buildCard(input: {
  kind: 'district' | 'site';
  id: string;
  name: string;
  urban: UrbanIndicators | null;
  indicators: readonly SocialIndicator[];
  values: readonly SocialValue[];
  sampleDistrict?: boolean;
  /** Today's local date (YYYY-MM-DD): a month still running is shown only when no finished one has data. */
  today?: string;
}): CardModel {
  const social = input.kind === 'district' ? socialRows(input.id, input.indicators, input.values) : [];
  const periods = input.urban?.periods ?? [];
  return {
    subject: `${input.kind}:${input.id}`,
    kind: input.kind,
    id: input.id,
    name: input.name,
    urban: input.urban,
    current: currentPeriod(periods, input.today),
    social,
    worstLight: worstLight(social.map((s) => s.latest?.light)),
    sample: Boolean(input.sampleDistrict) || social.some((s) => s.indicator.sample),
  };
}

/** Sort keys: 'name', 'light', 'urban:<indicator>', 'social:<indicator id>'. */
export type SortKey = string;

/**
 * Sorts cards. By light: red, yellow, green, then none. By an urban indicator: highest
 * current value first. By a social indicator: worst first (its deviation from the average,
 * + = worse), falling back to the value in the "worse" direction. Missing values last; ties by name.
 */
export function sortCards(cards: readonly CardModel[], key: SortKey, locale = 'da'): CardModel[] {
  const byName = (a: CardModel, b: CardModel) => a.name.localeCompare(b.name, locale) || a.subject.localeCompare(b.subject);
  const score = (c: CardModel): number | null => {
    if (key === 'light') return c.worstLight ? LIGHT_RANK[c.worstLight] : null;
    if (key.startsWith('urban:')) return c.current?.values[key.slice(6) as UrbanIndicator] ?? null;
    if (key.startsWith('social:')) {
      const row = c.social.find((s) => s.indicator.id === key.slice(7));
      const v = row?.latest;
      if (!v || v.suppressed) return null;
      if (v.deviation !== null) return v.deviation;
      if (v.value === null) return null;
      return row!.indicator.higherIsBetter ? -v.value : v.value;
    }
    return null;
  };
  if (key === 'name') return [...cards].sort(byName);
  return [...cards].sort((a, b) => {
    const sa = score(a);
    const sb = score(b);
    if (sa === null && sb === null) return byName(a, b);
    if (sa === null) return 1;
    if (sb === null) return -1;
    return sb - sa || byName(a, b);
  });
}

/**
 * What a card can say about a period too short for values (no complete day, e.g. a new camera
 * or the demo's 80-s clip): the passers seen and over how many seconds; null when the period
 * has a complete day or saw nothing. Never a daily figure.
 */
export function briefObservation(period: UrbanPeriod | null): { seconds: number; passers: number } | null {
  const seen = period?.seen;
  if (!period || !seen || period.days.complete > 0 || seen.seconds <= 0) return null;
  return { seconds: seen.seconds, passers: seen.passers };
}
