/**
 * aggregate: per-frame counting events in, closed time bins out as protocol CountBatches;
 * and the run summary, computed from those batches so the hub can reproduce it (marked partial
 * when the source ended early).
 */
export { BinAggregator, type BinAggregatorOptions, type CountStep } from './bins.ts';
export { RunSummary, runSummary, SummaryAccumulator, summarizeBatches } from './summary.ts';
