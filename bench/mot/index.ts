/**
 * mot: evaluating tracks and counts against ground truth — the MOTChallenge file format,
 * CLEAR-MOT and identity measures, and reference line/zone counts from trajectories.
 */
export { parseMot, formatMot, byFrame, trajectories, iou, MotFormatError, type MotBox, type Trajectory } from './gt.ts';
export { evaluateMot, type MotMetrics, type EvaluateOptions } from './evaluate.ts';
export { countTrajectories, lineCrossings, insidePolygon, footPoint, side, type CountingOptions } from './counting-gt.ts';
export { PETS09_DIR, PETS09_GT, PETS09_VIDEO, PETS09_SCENE, REPO_ROOT } from './paths.ts';
export { evaluateHota, HOTA_ALPHAS, type HotaMetrics, type HotaPerAlpha } from './hota.ts';
export { applyDistractors, type DistractorResult } from './distractors.ts';
