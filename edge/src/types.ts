/**
 * The plain data that flows between the edge agent's stages. Pure stages (track, count,
 * aggregate) take and return only these; no clocks, sockets or files.
 */
import type { MovementClass, Point } from '@byliv/protocol';

export type { MovementClass, Point };

/** Axis-aligned box in pixels of the source frame: `[x1, y1, x2, y2]`. */
export type BoxXYXY = [number, number, number, number];

/** One decoded frame, already scaled by ffmpeg to the model's input size. */
export interface Frame {
  /** 0-based index of the frame in the source. */
  index: number;
  /** Seconds since the start of the stream, from the video's own timestamps. */
  time: number;
  /** Raw interleaved pixels (`pixelFormat` of the model manifest), width × height × 3 bytes. */
  pixels: Uint8Array;
  width: number;
  height: number;
  /** Size of the original frame, which all coordinates leaving `detect` are in. */
  sourceWidth: number;
  sourceHeight: number;
  /**
   * Set when ffmpeg reported decode errors for this frame or for one it is predicted from
   * (until the next clean key frame): ffmpeg's first message of that stretch. Such a frame is
   * concealment, not a view of the scene.
   */
  damage?: string;
}

/** A detector's output for one object, in source-frame pixels. */
export interface Detection {
  box: BoxXYXY;
  score: number;
  /** Class name from the model manifest, e.g. "person", "bicycle". */
  label: string;
}

export interface FrameDetections {
  frame: Omit<Frame, 'pixels'>;
  detections: Detection[];
}

/** A tracked person at one frame. Ids are local to the agent process and never leave it. */
export interface TrackedObject {
  id: number;
  box: BoxXYXY;
  score: number;
  /** Bottom centre of the box: where the person stands. */
  foot: Point;
  cls: MovementClass;
}

export interface FrameTracks {
  index: number;
  time: number;
  tracks: TrackedObject[];
}

export type Direction = 'forward' | 'backward';

/** A track stepped across a counting line. */
export interface Crossing {
  lineId: string;
  direction: Direction;
  cls: MovementClass;
  time: number;
}

export type ZoneEvent =
  | { kind: 'entry'; zoneId: string; cls: MovementClass; time: number }
  /** `dwellSeconds`: how long the visit that just ended lasted. */
  | { kind: 'exit'; zoneId: string; cls: MovementClass; time: number; dwellSeconds: number }
  /** A person left zone `from` and, without entering another zone, next entered zone `to`. */
  | { kind: 'flow'; from: string; to: string; time: number };

/** How many people stood in each zone at one frame, and for how long that frame counts. */
export interface OccupancySample {
  time: number;
  /** Seconds this frame stands for (the gap to the next frame, capped). */
  duration: number;
  byZone: Record<string, number>;
}
