/**
 * track: detections of one frame in, confirmed person tracks out (ByteTrack with recovery of
 * lost people by where they were last seen, recovery.ts), each with a
 * foot point and a movement class (person or cyclist).
 */
export { ByteTracker, DEFAULT_TRACK_KALMAN, DEFAULT_TRACK_RECOVERY, type ByteTrackerOptions } from './byte-tracker.ts';
export { linearAssignment, type Assignment, type AssignmentOptions } from './assignment.ts';
export { BoxKalman, type KalmanOptions } from './kalman.ts';
export { ObservationTrail, extrapolatedCentre, recoveryCost, recoveryRule, walkedOut, type RecoveryOptions, type RecoveryRule } from './recovery.ts';
export { ClassVote, cyclistRule, bicycleUnder, type CyclistOptions, type CyclistRule } from './cyclist.ts';
export { boxArea, intersectionArea, iou, iouCost } from './iou.ts';
export { TrackContinuation, DEFAULT_CONTINUATION_GATE, type ContinuationOptions } from './continuation.ts';
