/**
 * MOTChallenge text files (`frame,id,left,top,width,height,score,x,y,z`, 1-based frames,
 * pixels of the source frame): the format of both the PETS09 ground truth and the edge
 * agent's `--tracks` output, so one parser serves both sides of the evaluation.
 */

/** One box of one object at one frame. */
export interface MotBox {
  /** 1-based frame number, as in the file. */
  frame: number;
  id: number;
  left: number;
  top: number;
  width: number;
  height: number;
  /** Column 7: detection score for hypotheses, the "consider" flag for ground truth. */
  score: number;
}

/** One object's boxes, sorted by frame, at most one per frame. */
export interface Trajectory {
  id: number;
  boxes: MotBox[];
}

export class MotFormatError extends Error {
  override name = 'MotFormatError';
}

/**
 * Parse a MOTChallenge file's text. `source` names the file in errors. Blank lines and
 * `#` comments are skipped; every other line needs at least the six leading numbers.
 * Two boxes with the same (frame, id) are an error: the evaluator could not tell which
 * one the tracker meant.
 */
export function parseMot(text: string, source: string): MotBox[] {
  const boxes: MotBox[] = [];
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const where = `${source}:${i + 1}`;
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length < 6) throw new MotFormatError(`${where}: expected at least 6 comma-separated numbers (frame,id,left,top,width,height), got ${cells.length}`);
    const num = (k: number, name: string): number => {
      const v = Number(cells[k]);
      if (cells[k] === '' || !Number.isFinite(v)) throw new MotFormatError(`${where}: ${name} (column ${k + 1}) is not a number: "${cells[k]}"`);
      return v;
    };
    const frame = num(0, 'frame');
    const id = num(1, 'id');
    if (!Number.isInteger(frame) || frame < 1) throw new MotFormatError(`${where}: frame must be a whole number >= 1 (MOTChallenge frames are 1-based), got ${cells[0]}`);
    if (!Number.isInteger(id)) throw new MotFormatError(`${where}: id must be a whole number, got ${cells[1]}`);
    const width = num(4, 'width');
    const height = num(5, 'height');
    if (width < 0 || height < 0) throw new MotFormatError(`${where}: width and height must not be negative, got ${width}x${height}`);
    const key = `${frame}/${id}`;
    if (seen.has(key)) throw new MotFormatError(`${where}: a second box for id ${id} in frame ${frame}`);
    seen.add(key);
    boxes.push({ frame, id, left: num(2, 'left'), top: num(3, 'top'), width, height, score: cells.length > 6 ? num(6, 'score') : 1 });
  }
  return boxes;
}

/** Boxes grouped by frame number (only frames that hold a box appear). */
export function byFrame(boxes: readonly MotBox[]): Map<number, MotBox[]> {
  const frames = new Map<number, MotBox[]>();
  for (const b of boxes) {
    const list = frames.get(b.frame);
    if (list) list.push(b);
    else frames.set(b.frame, [b]);
  }
  return frames;
}

/** Boxes grouped by id, each trajectory sorted by frame; trajectories sorted by id. */
export function trajectories(boxes: readonly MotBox[]): Trajectory[] {
  const byId = new Map<number, MotBox[]>();
  for (const b of boxes) {
    const list = byId.get(b.id);
    if (list) list.push(b);
    else byId.set(b.id, [b]);
  }
  return [...byId.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([id, list]) => ({ id, boxes: list.sort((a, b) => a.frame - b.frame) }));
}

/** Intersection over union of two boxes given as left/top/width/height (continuous pixels). */
export function iou(a: MotBox, b: MotBox): number {
  const w = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
  const h = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

/** Text of boxes in MOTChallenge form (tests build files with this). */
export function formatMot(boxes: readonly MotBox[]): string {
  return boxes.map((b) => `${b.frame},${b.id},${b.left},${b.top},${b.width},${b.height},${b.score},-1,-1,-1\n`).join('');
}
