/**
 * Traffic lights for social indicators, after KL's guide to monitoring social balance: each
 * district's value is compared with the municipal average; a value worse than the average by
 * the yellow limit (default 10 %) is yellow, by the red limit (default 30 %) red. "Worse"
 * follows the indicator's direction. Values resting on fewer than 5 individuals are never shown.
 * Pure: rows in, annotated rows out.
 */
import { MUNICIPALITY, type SocialValueInput } from './validate.ts';

export interface TrafficLightLimits {
  /** Worse than the municipal average by at least this share: yellow. */
  yellow: number;
  /** Worse than the municipal average by at least this share: red (KL's example: 0.3). */
  red: number;
}
export const DEFAULT_TRAFFIC_LIGHTS: TrafficLightLimits = { yellow: 0.1, red: 0.3 };

/** Values behind fewer individuals than this are suppressed (a small group could be recognised). */
export const SUPPRESS_BELOW = 5;

export type Light = 'green' | 'yellow' | 'red';

export interface LitValue {
  district: string;
  indicator: string;
  period: string;
  value: number | null;
  individuals: number | null;
  suppressed: boolean;
  municipalAverage: number | null;
  /** The share by which the value is worse than the average (+ worse, − better); null when suppressed or no average. */
  deviation: number | null;
  light: Light | null;
}

/** Limits compared with a little slack, so 13 against 10 (0.30000000000000004) is exactly 30 %. */
const EPSILON = 1e-9;

/**
 * The municipal average of one indicator in one period: the municipality's own row if there is
 * one, else the mean of the districts weighted by their individuals. It includes suppressed
 * districts (their people are part of the municipality) but is itself withheld (null) when it
 * rests on fewer than `suppressBelow` individuals, or on none.
 */
export function municipalAverage(rows: readonly SocialValueInput[], suppressBelow = SUPPRESS_BELOW): number | null {
  const own = rows.find((r) => r.district === MUNICIPALITY);
  if (own) return own.individuals >= suppressBelow ? own.value : null;
  let weight = 0;
  let sum = 0;
  for (const r of rows) {
    weight += r.individuals;
    sum += r.value * r.individuals;
  }
  return weight > 0 && weight >= suppressBelow ? sum / weight : null;
}

/** How much worse than the average (+) or better (−) a value is, as a share of the average; null for a zero average. */
export function deviation(value: number, average: number, higherIsBetter: boolean): number | null {
  if (average === 0) return null;
  const worse = higherIsBetter ? average - value : value - average;
  return worse / Math.abs(average);
}

export function light(dev: number, limits: TrafficLightLimits): Light {
  if (dev >= limits.red - EPSILON) return 'red';
  if (dev >= limits.yellow - EPSILON) return 'yellow';
  return 'green';
}

/**
 * Annotates every row: suppression, the municipal average of its indicator and period, the
 * deviation and the light. The municipality's own rows get the average but no deviation or light.
 * `higherIsBetter` maps indicator id → direction; rows of an indicator missing there get no light.
 */
export function trafficLights(
  rows: readonly SocialValueInput[],
  higherIsBetter: ReadonlyMap<string, boolean>,
  limits: TrafficLightLimits = DEFAULT_TRAFFIC_LIGHTS,
  suppressBelow = SUPPRESS_BELOW,
): LitValue[] {
  const groups = new Map<string, SocialValueInput[]>();
  for (const r of rows) {
    const key = `${r.indicator}\u0000${r.period}`;
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  const averages = new Map([...groups].map(([key, group]) => [key, municipalAverage(group, suppressBelow)]));
  return rows.map((r) => {
    const average = averages.get(`${r.indicator}\u0000${r.period}`) ?? null;
    const base = { district: r.district, indicator: r.indicator, period: r.period, municipalAverage: average };
    if (r.individuals < suppressBelow) return { ...base, value: null, individuals: null, suppressed: true, deviation: null, light: null };
    const direction = higherIsBetter.get(r.indicator);
    const dev = r.district === MUNICIPALITY || average === null || direction === undefined ? null : deviation(r.value, average, direction);
    return { ...base, value: r.value, individuals: r.individuals, suppressed: false, deviation: dev, light: dev === null ? null : light(dev, limits) };
  });
}
