/**
 * Every caveat code an evaluation can carry: the one list the route's schema, the maths' type
 * and the dashboard's translation test read. No imports, so the dashboard's tests can load it.
 */

/** Caveats the maths (evaluate.ts) attaches. */
export const MATH_CAVEATS = ['hours_treated_independent', 'no_control', 'few_matched_cells', 'short_baseline', 'short_intervention', 'no_variance', 'measure_unavailable', 'control_measure_unavailable'] as const;

/** Caveats the route adds from what the store knows (a feature not counted in a period). */
export const ROUTE_CAVEATS = ['feature_missing_in_baseline', 'feature_missing_in_intervention'] as const;

export const EVALUATION_CAVEATS = [...MATH_CAVEATS, ...ROUTE_CAVEATS] as const;
export type EvaluationCaveat = (typeof EVALUATION_CAVEATS)[number];
