/** Run totals from count batches: the one definition lives in the protocol, shared with the hub. */
export { SummaryAccumulator, summarizeBatches } from '@byliv/protocol';
