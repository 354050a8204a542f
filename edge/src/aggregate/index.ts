/**
 * aggregate: per-frame counting events in, closed time bins out as protocol CountBatches;
 * and the run summary, computed from those batches so the hub can reproduce it.
 */
export { BinAggregator, type BinAggregatorOptions, type CountStep } from './bins.ts';
export { SummaryAccumulator, summarizeBatches } from './summary.ts';
