import { describe, expect, it } from 'vitest';
import type { SocialIndicator, SocialValue, UrbanIndicators } from '../api/types.ts';
import { briefObservation, buildCard, currentPeriod, sortCards, worstLight } from './model.ts';

const ind = (id: string, sample = true, higherIsBetter = false): SocialIndicator => ({ id, nameDa: id, nameEn: id, unit: '%', higherIsBetter, source: 'test', sample });
const val = (district: string, indicator: string, period: string, value: number | null, light: SocialValue['light'], deviation: number | null = null): SocialValue => ({
  district, indicator, period, value, individuals: value === null ? 3 : 50, suppressed: value === null, municipalAverage: 10, deviation, light,
});
const urban = (passers: number | null): UrbanIndicators => ({
  subject: { kind: 'site', id: 's', name: 's' }, period: 'month', timeZone: 'Europe/Copenhagen', stayMinSeconds: 30,
  periods: [{ key: '2026-10', start: '2026-10-01', end: '2026-11-01', hours: { observed: 700, total: 744 }, days: { complete: 28, total: 31 },
    values: { passersPerDay: passers, stayingVisitsPerDay: 1, personMinutesPerDay: 2, medianDwellSeconds: 40, eveningShare: 0.2, installationUse: 0.5 }, seen: null }],
});

const indicators = [ind('unemployment'), ind('income', false, true)];
const values = [
  val('north', 'unemployment', '2025', 8, 'green', -0.1), val('north', 'unemployment', '2026', 12, 'yellow', 0.2),
  val('south', 'unemployment', '2026', 20, 'red', 1.0), val('south', 'income', '2026', null, null),
  val('east', 'income', '2026', 300, 'green', -0.05),
];

describe('cards', () => {
  it('lead with the latest finished period that has data, not a month just begun', () => {
    const base = urban(null).periods[0];
    const month = (key: string, start: string, end: string, passers: number | null) => ({
      ...base, key, start, end,
      values: passers === null ? Object.fromEntries(Object.keys(base.values).map((k) => [k, null])) as unknown as typeof base.values : { ...base.values, passersPerDay: passers },
    });
    const periods = [month('2026-10', '2026-10-01', '2026-11-01', 100), month('2026-11', '2026-11-01', '2026-12-01', 120), month('2026-12', '2026-12-01', '2027-01-01', 388)];
    expect(currentPeriod(periods, '2026-12-02')?.key).toBe('2026-11');
    expect(currentPeriod(periods, '2027-01-01')?.key).toBe('2026-12');
    // a camera installed this month: its running month is all there is
    expect(currentPeriod([month('2026-11', '2026-11-01', '2026-12-01', null), periods[2]], '2026-12-02')?.key).toBe('2026-12');
    expect(currentPeriod([month('2026-12', '2026-12-01', '2027-01-01', null)], '2026-12-02')?.key).toBe('2026-12');
    expect(currentPeriod([], '2026-12-02')).toBeNull();
  });
  it('worst light ranks red over yellow over green; none is null', () => {
    expect(worstLight(['green', null, 'yellow'])).toBe('yellow');
    expect(worstLight(['green', 'red', 'yellow'])).toBe('red');
    expect(worstLight([null, undefined])).toBeNull();
  });
  it('a district card takes its latest social value per indicator, with the trend oldest first', () => {
    const c = buildCard({ kind: 'district', id: 'north', name: 'Nord', urban: urban(100), indicators, values });
    expect(c.subject).toBe('district:north');
    expect(c.social).toHaveLength(1);
    expect(c.social[0].latest?.period).toBe('2026');
    expect(c.social[0].trend).toEqual([8, 12]);
    expect(c.worstLight).toBe('yellow');
    expect(c.sample).toBe(true);
    expect(c.current?.key).toBe('2026-10');
  });
  it('suppressed values stay in the card (shown as fewer than 5) but leave gaps in the trend', () => {
    const c = buildCard({ kind: 'district', id: 'south', name: 'Syd', urban: null, indicators, values });
    const income = c.social.find((s) => s.indicator.id === 'income')!;
    expect(income.latest?.suppressed).toBe(true);
    expect(income.trend).toEqual([null]);
    expect(c.worstLight).toBe('red');
  });
  it('a site card has no social rows and is not sample unless its indicators are', () => {
    const c = buildCard({ kind: 'site', id: 'torv', name: 'Torvet', urban: urban(5), indicators, values });
    expect(c.social).toEqual([]);
    expect(c.sample).toBe(false);
    expect(c.worstLight).toBeNull();
  });

  const cards = [
    buildCard({ kind: 'district', id: 'north', name: 'Nord', urban: urban(100), indicators, values }),
    buildCard({ kind: 'district', id: 'south', name: 'Syd', urban: urban(null), indicators, values }),
    buildCard({ kind: 'district', id: 'east', name: 'Øst', urban: urban(300), indicators, values }),
    buildCard({ kind: 'site', id: 'torv', name: 'Allé', urban: null, indicators, values }),
  ];
  it('sorts by name (Danish order: Ø after Z), by worst light, by an indicator; missing last', () => {
    expect(sortCards(cards, 'name').map((c) => c.id)).toEqual(['torv', 'north', 'south', 'east']);
    expect(sortCards(cards, 'light').map((c) => c.id)).toEqual(['south', 'north', 'east', 'torv']);
    expect(sortCards(cards, 'urban:passersPerDay').map((c) => c.id)).toEqual(['east', 'north', 'torv', 'south']);
    expect(sortCards(cards, 'social:unemployment').map((c) => c.id)).toEqual(['south', 'north', 'torv', 'east']);
  });
});

describe('briefObservation', () => {
  const period = (complete: number, seconds: number) =>
    ({ key: '2026-12', start: '2026-12-01', end: '2027-01-01', hours: { observed: 0, total: 744 }, days: { complete, total: 31 }, values: {}, seen: { seconds, passers: 23, stayingVisits: 1, personMinutes: 2 } }) as never;
  it('says what an 80-s observation saw when the period has no complete day', () => {
    expect(briefObservation(period(0, 80))).toEqual({ seconds: 80, passers: 23 });
  });
  it('is silent with a complete day, with nothing seen, or without seen (a researcher)', () => {
    expect(briefObservation(period(1, 80))).toBeNull();
    expect(briefObservation(period(0, 0))).toBeNull();
    expect(briefObservation(null)).toBeNull();
  });
});
