/** Pure reports over stored data: the CountSummary, hourly completeness, small-count suppression and the researcher grid. */
export { summarizeBatches } from './summary.ts';
export { hourlyCompleteness, MAX_COMPLETENESS_HOURS, type BinCoverage, type HourCompleteness } from './completeness.ts';
export { suppress, isSmall, CellAccumulator, SUPPRESSION_RULE, DEFAULT_SUPPRESS_BELOW, type BaseValue, type PublishedValue } from './suppression.ts';
export { offGrid, publishedUntil } from './grid.ts';
export { withheldHours, type CameraRows, type FeatureFilter } from './base-cells.ts';
export { publishedCells, type PublishedCell } from './export-cells.ts';
