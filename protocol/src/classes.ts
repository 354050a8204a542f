import { z } from 'zod';

/** What is counted. A person riding a bicycle is a cyclist; everyone else on foot is a person. */
export const MovementClass = z.enum(['person', 'cyclist']);
export type MovementClass = z.infer<typeof MovementClass>;
export const MOVEMENT_CLASSES = MovementClass.options;

/**
 * Upper edges (seconds) of the dwell-time histogram of zone visits; a last open bin holds
 * everything longer. The 30 s edge is the default threshold of a "staying activity".
 */
export const DWELL_BIN_EDGES_SECONDS = [5, 15, 30, 60, 120, 300, 600, 1800] as const;
