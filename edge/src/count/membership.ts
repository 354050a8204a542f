/**
 * Which zones a foot is in, with hysteresis: the one place the membership rule lives
 * (ZoneCounter turns its changes into visits). A still person's foot point wobbles by a few
 * pixels; with one point-in-polygon test per frame a foot on a zone's edge would enter and
 * leave every other frame. So:
 * - at a track's first sight the foot is in the zones it lies in (plain point-in-polygon);
 * - afterwards it enters a zone only when it is clearly inside (deeper than the jitter band,
 *   jitter.ts, the band lines use), and leaves only when clearly outside;
 * - within the band the membership stays what it was.
 */
import type { SceneZone } from '@byliv/protocol';
import type { Point } from '../types.ts';
import { pointInPolygon, signedDepth } from './geometry.ts';
import { jitterBand, type JitterBand, type JitterBandOptions } from './jitter.ts';

export class ZoneMembership {
  private readonly polygons: (readonly Point[])[];
  private readonly band: JitterBand;

  constructor(zones: readonly SceneZone[], options: JitterBandOptions = {}) {
    this.polygons = zones.map((z) => z.polygon);
    this.band = jitterBand(options, 'zoneCounter');
  }

  /** Membership at a track's first sight, written into `inside` (1 = in zone i). */
  first(foot: Point, inside: Uint8Array): void {
    for (let i = 0; i < this.polygons.length; i++) inside[i] = pointInPolygon(foot, this.polygons[i]) ? 1 : 0;
  }

  /** Membership after a step to `foot` of a person `boxHeight` tall, updated in place in `inside`. */
  step(foot: Point, boxHeight: number, inside: Uint8Array): void {
    const band = this.band(boxHeight);
    for (let i = 0; i < this.polygons.length; i++) {
      const depth = signedDepth(foot, this.polygons[i]);
      if (inside[i] && depth < -band) inside[i] = 0;
      else if (!inside[i] && depth > band) inside[i] = 1;
    }
  }
}
