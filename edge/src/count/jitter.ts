/**
 * The one jitter rule of lines and zones: a detector's foot point wobbles even when the person
 * stands still, so a change of side (of a line) or of membership (of a zone) only counts once
 * the foot is clear of a band around the boundary. The band is the larger of a fixed number
 * of pixels and a share of the person's box height, since the wobble grows with the box: on
 * PETS09 the bottom edge of matched NanoDet boxes sits off the annotated one by 5.1 % of the
 * height (standard deviation).
 */
export interface JitterBandOptions {
  /** Smallest band in pixels. Default 3: above the wobble of a still foot point, far below a walking step. */
  hysteresisPx?: number;
  /** Band as a share of the box height, used where larger. Default 0.05 (the measured wobble). */
  hysteresisHeightFraction?: number;
}

export type JitterBand = (boxHeight: number) => number;

/** The band width for a box height; `owner` names the options in errors (e.g. "lineCounter"). */
export function jitterBand(options: JitterBandOptions = {}, owner = 'counter'): JitterBand {
  const px = options.hysteresisPx ?? 3;
  const fraction = options.hysteresisHeightFraction ?? 0.05;
  if (!(px >= 0)) throw new Error(`${owner}.hysteresisPx must be >= 0, got ${px}`);
  if (!(fraction >= 0)) throw new Error(`${owner}.hysteresisHeightFraction must be >= 0, got ${fraction}`);
  return (boxHeight) => Math.max(px, fraction * boxHeight);
}
