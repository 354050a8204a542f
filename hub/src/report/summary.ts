/**
 * The hub's CountSummary of stored batches: the protocol's summarizeBatches, the same function
 * the edge builds its run summary with. The store hands batches over in the order the edge
 * made them (bin start, then seq), so even the floating-point sums are added in the same order.
 */
export { summarizeBatches } from '@byliv/protocol';
