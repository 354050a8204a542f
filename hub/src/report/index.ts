/** Pure reports over stored data: the CountSummary, hourly completeness, export suppression. */
export { summarizeBatches } from './summary.ts';
export { hourlyCompleteness, MAX_COMPLETENESS_HOURS, type BinCoverage, type HourCompleteness } from './completeness.ts';
export { suppress, DEFAULT_SUPPRESS_BELOW, type PublishedValue } from './suppression.ts';
