import { describe, expect, it } from 'vitest';
import { deviation, light, municipalAverage, trafficLights, DEFAULT_TRAFFIC_LIGHTS } from './traffic-light.ts';
import type { SocialValueInput } from './validate.ts';

const row = (district: string, value: number, individuals: number, indicator = 'x', period = '2025'): SocialValueInput => ({ district, indicator, period, value, individuals });
const lowerIsBetter = new Map([['x', false]]);
const higherIsBetter = new Map([['x', true]]);

describe('municipalAverage', () => {
  it('weights the districts by their individuals when there is no municipality row', () => {
    // (10·100 + 20·300) / 400 = 17.5, not the plain mean 15
    expect(municipalAverage([row('a', 10, 100), row('b', 20, 300)])).toBe(17.5);
  });

  it('uses the municipality row when there is one', () => {
    expect(municipalAverage([row('a', 10, 100), row('b', 20, 300), row('kommune', 16, 500)])).toBe(16);
  });

  it('includes suppressed districts (their people live in the municipality), but withholds an average of under 5 people', () => {
    // (10·4 + 20·16) / 20 = 18
    expect(municipalAverage([row('a', 10, 4), row('b', 20, 16)])).toBe(18);
    expect(municipalAverage([row('a', 10, 2), row('b', 20, 2)])).toBeNull();
    expect(municipalAverage([row('a', 10, 0)])).toBeNull();
    expect(municipalAverage([row('a', 10, 100), row('kommune', 12, 4)])).toBeNull();
  });
});

describe('deviation and light', () => {
  it('flips with the direction: + is worse', () => {
    expect(deviation(10, 17.5, false)).toBeCloseTo(-0.428571, 6);
    expect(deviation(20, 17.5, false)).toBeCloseTo(0.142857, 6);
    expect(deviation(10, 17.5, true)).toBeCloseTo(0.428571, 6);
    expect(deviation(20, 17.5, true)).toBeCloseTo(-0.142857, 6);
    expect(deviation(3, 0, false)).toBeNull();
  });

  it('yellow from 10 % worse, red from 30 % worse (both limits included)', () => {
    const lit = (value: number, direction: Map<string, boolean>) => trafficLights([row('kommune', 10, 1000), row('a', value, 100)], direction)[1].light;
    expect(lit(10.99, lowerIsBetter)).toBe('green');
    expect(lit(11, lowerIsBetter)).toBe('yellow');
    expect(lit(12.99, lowerIsBetter)).toBe('yellow');
    expect(lit(13, lowerIsBetter)).toBe('red');
    expect(lit(9, higherIsBetter)).toBe('yellow');
    expect(lit(7.01, higherIsBetter)).toBe('yellow');
    expect(lit(7, higherIsBetter)).toBe('red');
    expect(lit(5, lowerIsBetter)).toBe('green'); // much better is green, not a warning
  });

  it('a limit is reached despite floating point: 0.11 against 0.10 is exactly 10 % worse', () => {
    expect((0.11 - 0.1) / 0.1).toBeLessThan(0.1);
    expect(trafficLights([row('kommune', 0.1, 1000), row('a', 0.11, 100)], lowerIsBetter)[1].light).toBe('yellow');
  });

  it('limits are configurable', () => {
    expect(light(0.25, DEFAULT_TRAFFIC_LIGHTS)).toBe('yellow');
    expect(light(0.25, { yellow: 0.05, red: 0.2 })).toBe('red');
    expect(light(0.04, { yellow: 0.05, red: 0.2 })).toBe('green');
  });
});

describe('trafficLights', () => {
  it('suppresses values behind fewer than 5 individuals: 4 hidden, 5 shown', () => {
    const out = trafficLights([row('a', 30, 4), row('b', 20, 5), row('c', 10, 91)], lowerIsBetter);
    // average (30·4 + 20·5 + 10·91) / 100 = 11.3
    expect(out[0]).toEqual({ district: 'a', indicator: 'x', period: '2025', value: null, individuals: null, suppressed: true, municipalAverage: 11.3, deviation: null, light: null });
    expect(out[1]).toMatchObject({ value: 20, individuals: 5, suppressed: false, light: 'red' });
    expect(out[1].deviation).toBeCloseTo((20 - 11.3) / 11.3, 12);
    expect(out[2]).toMatchObject({ suppressed: false, light: 'green' });
  });

  it('averages per indicator and period; the municipality row gets the average but no light', () => {
    const rows = [row('a', 10, 100, 'x', '2024'), row('a', 10, 100, 'x', '2025'), row('b', 30, 100, 'x', '2025'), row('kommune', 12, 500, 'x', '2024')];
    const out = trafficLights(rows, lowerIsBetter);
    expect(out.map((r) => r.municipalAverage)).toEqual([12, 20, 20, 12]);
    expect(out.map((r) => r.light)).toEqual(['green', 'green', 'red', null]);
    expect(out[3]).toMatchObject({ district: 'kommune', value: 12, deviation: null, light: null });
  });

  it('an indicator missing from the catalogue gets values but no light', () => {
    expect(trafficLights([row('a', 10, 100, 'y')], lowerIsBetter)[0]).toMatchObject({ value: 10, municipalAverage: 10, deviation: null, light: null });
  });
});
