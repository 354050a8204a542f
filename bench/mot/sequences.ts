/**
 * Every benchmark sequence we hold under `../shared/datasets/`: where its video, ground
 * truth and scene are, its frame rate, length and frame size, and whether we tune on it
 * (`dev`) or only ever measure on it (`holdout`).
 *
 * The data folder is `BYLIV_DATASETS_DIR` when set, else `../shared/datasets/` next to the
 * repository; PETS09-S2L1 alone still honours `BYLIV_PETS09_DIR` (as `paths.ts` does).
 * Nothing here reads a file at import time: `findSequences()` looks for the files and reads
 * each `seqinfo.ini`, and says for each sequence it cannot use why not.
 *
 * More sequences (e.g. a generated one) are added with `registerSequence()`, or by passing
 * `[...SEQUENCES, mine]` to `findSequences()`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const trim = (dir: string): string => dir.replace(/\/+$/, '');

/** The shared data folder that holds one folder per sequence. */
export const DATASETS_DIR = trim(process.env.BYLIV_DATASETS_DIR ?? here('../../../shared/datasets/'));
/** PETS09-S2L1's folder (`BYLIV_PETS09_DIR` overrides it alone). */
export const PETS09_S2L1_DIR = trim(process.env.BYLIV_PETS09_DIR ?? join(DATASETS_DIR, 'pets09-s2l1'));
/** Where the scenes live (`bench/scenes/`). */
export const SCENES_DIR = trim(here('../scenes/'));

/** `dev`: we tune on it. `holdout`: never tuned on; it only measures. */
export type SequenceRole = 'dev' | 'holdout';

/** Frame rate, length and frame size of a sequence. */
export interface SequenceInfo {
  /** Frames per second of the video file: one frame stands for 1 / fps seconds. */
  fps: number;
  /** Number of frames (1..frames, as in the ground truth). */
  frames: number;
  width: number;
  height: number;
}

/** What every sequence has, registered or resolved. */
interface SequenceFiles {
  id: string;
  /** Display name, e.g. "TUD-Campus". */
  name: string;
  role: SequenceRole;
  video: string;
  /** MOTChallenge ground truth (`frame,id,left,top,width,height,flag,...`). */
  gt: string;
  /** Scene file (lines and zones) for this sequence. */
  scene: string;
}

/** A sequence as registered: paths, and either constant info or a seqinfo.ini to read it from. */
export interface SequenceSource extends SequenceFiles {
  /** Exactly one of the two: a seqinfo.ini to read, or the values themselves. */
  seqinfo?: string;
  info?: SequenceInfo;
}

/** A sequence whose files are all there, with its info resolved. */
export interface Sequence extends SequenceInfo, SequenceFiles {
  /** The seqinfo.ini its info was read from; absent where the info is constant. */
  seqinfo?: string;
}

export interface SequenceSearch {
  available: Sequence[];
  missing: { id: string; why: string }[];
}

/** What a MOTChallenge `seqinfo.ini` says (its `[Sequence]` section). */
export interface Seqinfo extends SequenceInfo {
  /** `name`, e.g. "TUD-Campus". */
  name: string;
  /** Every key of the section, as written. */
  raw: Record<string, string>;
}

export class SeqinfoError extends Error {
  override name = 'SeqinfoError';
}

/**
 * Parse the text of a seqinfo.ini. `source` names the file in errors. Reads the
 * `[Sequence]` section (keys before any section are accepted too); `;` and `#` start
 * comments; keys are case-insensitive. Needs frameRate, seqLength, imWidth and imHeight,
 * each a positive number (seqLength, imWidth, imHeight whole).
 */
export function parseSeqinfo(text: string, source: string): Seqinfo {
  const raw: Record<string, string> = {};
  let section = '';
  let sawSequence = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const header = /^\[(.*)\]$/.exec(line);
    if (header) {
      section = header[1].trim().toLowerCase();
      if (section === 'sequence') sawSequence = true;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) throw new SeqinfoError(`${source}:${i + 1}: expected key=value, got "${line}"`);
    if (section !== '' && section !== 'sequence') continue;
    raw[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  if (!sawSequence && Object.keys(raw).length === 0) throw new SeqinfoError(`${source}: no [Sequence] section`);
  const get = (key: string): string | undefined => {
    const k = Object.keys(raw).find((name) => name.toLowerCase() === key.toLowerCase());
    return k === undefined ? undefined : raw[k];
  };
  const num = (key: string, whole: boolean): number => {
    const text = get(key);
    if (text === undefined) throw new SeqinfoError(`${source}: missing ${key}`);
    const v = Number(text);
    if (text === '' || !Number.isFinite(v) || v <= 0 || (whole && !Number.isInteger(v))) {
      throw new SeqinfoError(`${source}: ${key} must be a positive ${whole ? 'whole ' : ''}number, got "${text}"`);
    }
    return v;
  };
  return {
    name: get('name') ?? '',
    fps: num('frameRate', false),
    frames: num('seqLength', true),
    width: num('imWidth', true),
    height: num('imHeight', true),
    raw,
  };
}

/** Read and parse a seqinfo.ini file. */
export function readSeqinfo(path: string): Seqinfo {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SeqinfoError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  return parseSeqinfo(text, path);
}

/** A MOTChallenge-style folder: `video.mp4`, `gt.txt`, `seqinfo.ini`. */
function motFolder(id: string, name: string, role: SequenceRole): SequenceSource {
  const dir = join(DATASETS_DIR, id);
  return { id, name, role, video: join(dir, 'video.mp4'), gt: join(dir, 'gt.txt'), seqinfo: join(dir, 'seqinfo.ini'), scene: join(SCENES_DIR, `${id}.json`) };
}

/**
 * PETS09-S2L1 has no seqinfo.ini. Its fps is 10, the frame rate of the video file
 * (`vtest.avi`); the original recording ran at about 7 fps (see the data set's README),
 * but one GT frame is one frame of the file the agent reads, i.e. 0.1 s.
 */
export const PETS09_S2L1: SequenceSource = {
  id: 'pets09-s2l1',
  name: 'PETS09-S2L1',
  role: 'dev',
  video: join(PETS09_S2L1_DIR, 'vtest.avi'),
  gt: join(PETS09_S2L1_DIR, 'gt.txt'),
  scene: join(SCENES_DIR, 'pets09.json'),
  info: { fps: 10, frames: 795, width: 768, height: 576 },
};

const registry: SequenceSource[] = [
  PETS09_S2L1,
  motFolder('tud-campus', 'TUD-Campus', 'dev'),
  motFolder('tud-stadtmitte', 'TUD-Stadtmitte', 'holdout'),
  motFolder('kitti-17', 'KITTI-17', 'holdout'),
];

/** The registered sequences, in order (live: `registerSequence` appends to it). */
export const SEQUENCES: readonly SequenceSource[] = registry;

/** Append a sequence to `SEQUENCES`. Its id must be new; it needs exactly one of seqinfo / info. */
export function registerSequence(source: SequenceSource): void {
  if (registry.some((s) => s.id === source.id)) throw new Error(`registerSequence: a sequence "${source.id}" is already registered`);
  if ((source.seqinfo === undefined) === (source.info === undefined)) throw new Error(`registerSequence: "${source.id}" needs exactly one of seqinfo and info`);
  registry.push(source);
}

/** Resolve one source: check its files and read its info. Throws with the reason when it cannot. */
export function resolveSequence(source: SequenceSource): Sequence {
  const absent = [source.video, source.gt, source.scene, ...(source.seqinfo ? [source.seqinfo] : [])].filter((p) => !existsSync(p));
  if (absent.length) throw new Error(`missing ${absent.join(', ')}`);
  let info: SequenceInfo;
  if (source.info) info = source.info;
  else if (source.seqinfo) {
    const s = readSeqinfo(source.seqinfo);
    info = { fps: s.fps, frames: s.frames, width: s.width, height: s.height };
  } else throw new Error('neither seqinfo nor info given');
  const { id, name, role, video, gt, scene, seqinfo } = source;
  return { id, name, role, video, gt, scene, ...(seqinfo ? { seqinfo } : {}), fps: info.fps, frames: info.frames, width: info.width, height: info.height };
}

/** Which sequences can be used here: every file present and seqinfo.ini readable. */
export function findSequences(sources: readonly SequenceSource[] = SEQUENCES): SequenceSearch {
  const out: SequenceSearch = { available: [], missing: [] };
  for (const source of sources) {
    try {
      out.available.push(resolveSequence(source));
    } catch (error) {
      out.missing.push({ id: source.id, why: (error as Error).message });
    }
  }
  return out;
}

/** One sequence by id, resolved; throws (saying why) when it is unknown or its files are missing. */
export function getSequence(id: string, sources: readonly SequenceSource[] = SEQUENCES): Sequence {
  const source = sources.find((s) => s.id === id);
  if (!source) throw new Error(`unknown sequence "${id}" (known: ${sources.map((s) => s.id).join(', ')})`);
  try {
    return resolveSequence(source);
  } catch (error) {
    throw new Error(`sequence ${id}: ${(error as Error).message}`);
  }
}
