/**
 * count: track steps in, counting events out. LineCounter turns steps across lines into
 * crossings; ZoneCounter turns foot points into zone entries, exits (with dwell), flows
 * and per-frame occupancy. Plain data in and out, no clock.
 */
export { LineCounter, type LineCounterOptions } from './line.ts';
export { ZoneCounter, type ZoneCounterOptions, type ZoneStep } from './zone.ts';
export { crossingParameter, pointInPolygon, side } from './geometry.ts';
export { ZoneMembership } from './membership.ts';
export { jitterBand, type JitterBand, type JitterBandOptions } from './jitter.ts';
