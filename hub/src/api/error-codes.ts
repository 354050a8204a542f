/**
 * The codes an API error carries: `error`, the kind (one per HTTP status family), and for the
 * errors a planner meets in the dashboard a finer `problem` that the dashboard words in Danish
 * and English (the reason stays the hub's English sentence for scripts and logs). No imports,
 * so the dashboard's translation test can read this list.
 */
export const ERROR_CODES = ['bad_request', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'unsupported_media_type', 'too_many_requests', 'unavailable', 'internal'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const PROBLEM_CODES = [
  // evaluations
  'installation_unknown',
  'installation_unlinked',
  'control_is_installation',
  'control_unknown',
  'no_matched_hours',
  'period_empty',
  'period_not_started',
  'period_after_removal',
  'period_overlap',
  'period_too_long',
  // imports
  'import_empty',
  'import_form_body',
  'import_rejected',
  'import_sample_conflict',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];
