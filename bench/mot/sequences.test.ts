/**
 * The sequence registry: seqinfo.ini parsing, the registry itself, and — where the shared
 * data sets are present — the real files, and the scenes made by the rule in
 * bench/scenes/README.md (recomputed here from the ground truth).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Point, Scene } from '@byliv/protocol';
import { checkSceneFitsFrame, loadSceneFile } from '../../edge/src/config/scene-file.ts';
import { countTrajectories, footPoint } from './counting-gt.ts';
import { parseMot } from './gt.ts';
import {
  DATASETS_DIR,
  SCENES_DIR,
  SEQUENCES,
  SeqinfoError,
  findSequences,
  getSequence,
  parseSeqinfo,
  readSeqinfo,
  registerSequence,
  type SequenceSource,
} from './sequences.ts';

const TUD_CAMPUS_INI = `[Sequence]
name=TUD-Campus
imDir=img1
frameRate=25
seqLength=71
imWidth=640
imHeight=480
imExt=.jpg
`;

describe('parseSeqinfo', () => {
  it('reads a MOTChallenge seqinfo.ini', () => {
    const s = parseSeqinfo(TUD_CAMPUS_INI, 'seqinfo.ini');
    expect(s).toMatchObject({ name: 'TUD-Campus', fps: 25, frames: 71, width: 640, height: 480 });
    expect(s.raw).toMatchObject({ imDir: 'img1', imExt: '.jpg' });
  });

  it('takes CRLF, comments, spaces around "=", any key case, and ignores other sections', () => {
    const text = '; made by hand\r\n[Other]\r\nframeRate=99\r\n[Sequence]\r\n# comment\r\nname = KITTI-17\r\nFRAMERATE = 10\r\nseqlength=145\r\nimWidth=1224\r\nimHeight=370\r\n';
    expect(parseSeqinfo(text, 'x.ini')).toMatchObject({ name: 'KITTI-17', fps: 10, frames: 145, width: 1224, height: 370 });
  });

  it('accepts a fractional frame rate', () => {
    expect(parseSeqinfo(TUD_CAMPUS_INI.replace('frameRate=25', 'frameRate=7.5'), 's').fps).toBe(7.5);
  });

  it('names the file and the key when something is wrong', () => {
    expect(() => parseSeqinfo(TUD_CAMPUS_INI.replace('seqLength=71\n', ''), 'a/seqinfo.ini')).toThrow(/a\/seqinfo\.ini: missing seqLength/);
    expect(() => parseSeqinfo(TUD_CAMPUS_INI.replace('imWidth=640', 'imWidth=wide'), 'b.ini')).toThrow(/b\.ini: imWidth must be a positive whole number, got "wide"/);
    expect(() => parseSeqinfo(TUD_CAMPUS_INI.replace('seqLength=71', 'seqLength=7.1'), 'c.ini')).toThrow(SeqinfoError);
    expect(() => parseSeqinfo(TUD_CAMPUS_INI.replace('frameRate=25', 'frameRate=0'), 'd.ini')).toThrow(/frameRate must be a positive number/);
    expect(() => parseSeqinfo('[Sequence]\nnot a pair\n', 'e.ini')).toThrow(/e\.ini:2: expected key=value/);
    expect(() => parseSeqinfo('', 'f.ini')).toThrow(/no \[Sequence\] section/);
  });

  it('says when the file cannot be read', () => {
    expect(() => readSeqinfo('/nonexistent/seqinfo.ini')).toThrow(/cannot read \/nonexistent\/seqinfo\.ini: no such file/);
  });
});

describe('the registry', () => {
  it('holds the four sequences with their roles, files and scenes', () => {
    expect(SEQUENCES.map((s) => [s.id, s.role])).toEqual([
      ['pets09-s2l1', 'dev'],
      ['tud-campus', 'dev'],
      ['tud-stadtmitte', 'holdout'],
      ['kitti-17', 'holdout'],
    ]);
    const byId = Object.fromEntries(SEQUENCES.map((s) => [s.id, s]));
    expect(byId['pets09-s2l1']).toMatchObject({ name: 'PETS09-S2L1', info: { fps: 10, frames: 795, width: 768, height: 576 }, scene: join(SCENES_DIR, 'pets09.json') });
    expect(byId['pets09-s2l1'].video).toMatch(/vtest\.avi$/);
    expect(byId['pets09-s2l1'].seqinfo).toBeUndefined();
    for (const id of ['tud-campus', 'tud-stadtmitte', 'kitti-17']) {
      const dir = join(DATASETS_DIR, id);
      expect(byId[id]).toMatchObject({ video: join(dir, 'video.mp4'), gt: join(dir, 'gt.txt'), seqinfo: join(dir, 'seqinfo.ini'), scene: join(SCENES_DIR, `${id}.json`) });
      expect(byId[id].info).toBeUndefined();
    }
    expect(byId['kitti-17'].name).toBe('KITTI-17');
  });

  it('refuses a duplicate id, or a source with both or neither of seqinfo and info', () => {
    const base = { name: 'X', role: 'dev' as const, video: 'v', gt: 'g', scene: 's' };
    expect(() => registerSequence({ ...base, id: 'tud-campus', seqinfo: 'x' })).toThrow(/already registered/);
    expect(() => registerSequence({ ...base, id: 'new-one' })).toThrow(/exactly one of seqinfo and info/);
    expect(() => registerSequence({ ...base, id: 'new-one', seqinfo: 'x', info: { fps: 1, frames: 1, width: 1, height: 1 } })).toThrow(/exactly one/);
    expect(SEQUENCES).toHaveLength(4);
  });

  describe('findSequences on a made-up folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'byliv-sequences-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const folder = (name: string, files: Record<string, string>): string => {
      const d = join(dir, name);
      mkdirSync(d, { recursive: true });
      for (const [f, text] of Object.entries(files)) writeFileSync(join(d, f), text);
      return d;
    };
    const source = (id: string, d: string, extra: Partial<SequenceSource> = {}): SequenceSource => ({
      id, name: id, role: 'holdout', video: join(d, 'video.mp4'), gt: join(d, 'gt.txt'), scene: join(d, 'scene.json'), seqinfo: join(d, 'seqinfo.ini'), ...extra,
    });
    const complete = folder('complete', { 'video.mp4': '', 'gt.txt': '', 'scene.json': '{}', 'seqinfo.ini': TUD_CAMPUS_INI });
    const noVideo = folder('no-video', { 'gt.txt': '', 'scene.json': '{}', 'seqinfo.ini': TUD_CAMPUS_INI });
    const badIni = folder('bad-ini', { 'video.mp4': '', 'gt.txt': '', 'scene.json': '{}', 'seqinfo.ini': '[Sequence]\nframeRate=25\n' });

    it('resolves what is there and says why the rest is not', () => {
      const constant = source('constant', noVideo, { video: join(complete, 'video.mp4'), seqinfo: undefined, info: { fps: 10, frames: 9, width: 8, height: 6 } });
      const found = findSequences([source('complete', complete), source('no-video', noVideo), source('bad-ini', badIni), constant]);
      expect(found.available).toEqual([
        { id: 'complete', name: 'complete', role: 'holdout', video: join(complete, 'video.mp4'), gt: join(complete, 'gt.txt'), scene: join(complete, 'scene.json'), seqinfo: join(complete, 'seqinfo.ini'), fps: 25, frames: 71, width: 640, height: 480 },
        { id: 'constant', name: 'constant', role: 'holdout', video: join(complete, 'video.mp4'), gt: join(noVideo, 'gt.txt'), scene: join(noVideo, 'scene.json'), fps: 10, frames: 9, width: 8, height: 6 },
      ]);
      expect(found.missing).toEqual([
        { id: 'no-video', why: `missing ${join(noVideo, 'video.mp4')}` },
        { id: 'bad-ini', why: `${join(badIni, 'seqinfo.ini')}: missing seqLength` },
      ]);
    });

    it('getSequence resolves one by id, or says why not', () => {
      const list = [source('complete', complete), source('no-video', noVideo)];
      expect(getSequence('complete', list)).toMatchObject({ fps: 25, frames: 71 });
      expect(() => getSequence('no-video', list)).toThrow(/sequence no-video: missing .*video\.mp4/);
      expect(() => getSequence('nope', list)).toThrow(/unknown sequence "nope" \(known: complete, no-video\)/);
    });
  });
});

// ---------------------------------------------------------------------------------------
// The real data sets, where present.

const found = findSequences();
const present = new Map(found.available.map((s) => [s.id, s]));
const why = new Map(found.missing.map((m) => [m.id, m.why]));
if (found.missing.length) {
  for (const m of found.missing) console.warn(`sequences.test: skipping ${m.id}: ${m.why}`);
}
const title = (id: string, what: string): string => (present.has(id) ? `${id}: ${what}` : `${id}: ${what} (skipped: ${why.get(id)})`);

/** Values from ../shared/datasets/README.md. */
const EXPECTED: Record<string, { fps: number; frames: number; width: number; height: number; people: number; boxes: number; scored: number }> = {
  'pets09-s2l1': { fps: 10, frames: 795, width: 768, height: 576, people: 19, boxes: 4650, scored: 4650 },
  'tud-campus': { fps: 25, frames: 71, width: 640, height: 480, people: 8, boxes: 359, scored: 359 },
  'tud-stadtmitte': { fps: 25, frames: 179, width: 640, height: 480, people: 10, boxes: 1156, scored: 1156 },
  'kitti-17': { fps: 10, frames: 145, width: 1224, height: 370, people: 9, boxes: 782, scored: 683 },
};

/** Scored ground truth: flag-0 boxes (regions to ignore, KITTI-17 only) dropped. */
const scoredGt = (path: string) => parseMot(readFileSync(path, 'utf8'), path).filter((b) => b.score !== 0);

/** The rule of bench/scenes/README.md, from the frame size and the foot points. */
function sceneByRule(id: string, W: number, H: number, feetY: readonly number[]): Scene {
  const ys = [...feetY].sort((a, b) => a - b);
  const nearestRank = (p: number) => ys[Math.max(0, Math.ceil(p * ys.length) - 1)];
  const k0 = Math.max(0, Math.floor((nearestRank(0.03) * 20) / H + 1e-9));
  const k1 = Math.min(20, Math.ceil((nearestRank(0.97) * 20) / H - 1e-9));
  const y0 = (k0 * H) / 20;
  const y1 = (k1 * H) / 20;
  const m = (y0 + y1) / 2;
  const h = y1 - y0;
  const rect = (x0: number, x1: number): Point[] => [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
  return {
    site: id,
    camera: 'view1',
    lines: [
      { id: 'centre-vertical', a: [W / 2, y0], b: [W / 2, y1] },
      { id: 'middle-horizontal', a: [W / 20, m], b: [(19 * W) / 20, m] },
      { id: 'diagonal', a: [W / 4, y1], b: [(3 * W) / 4, y0] },
    ],
    zones: [
      { id: 'left-third', polygon: rect(0, W / 3) },
      { id: 'centre-diamond', polygon: [[W / 2, m - h / 3], [(7 * W) / 10, m], [W / 2, m + h / 3], [(3 * W) / 10, m]] },
      { id: 'right-third', polygon: rect((2 * W) / 3, W) },
    ],
  };
}

/** The counting ground truth listed in bench/scenes/README.md (lines [fwd, bwd]; zones [entries, exits, person-s, max]). */
const TRUTH: Record<string, { lines: Record<string, [number, number]>; zones: Record<string, [number, number, number, number]> }> = {
  'tud-campus': {
    lines: { 'centre-vertical': [1, 4], 'middle-horizontal': [0, 0], diagonal: [5, 0] },
    zones: { 'left-third': [5, 5, 3.8, 3], 'centre-diamond': [5, 4, 1.8, 2], 'right-third': [5, 2, 3.84, 3] },
  },
  'tud-stadtmitte': {
    lines: { 'centre-vertical': [1, 1], 'middle-horizontal': [0, 3], diagonal: [1, 3] },
    zones: { 'left-third': [3, 2, 6.68, 2], 'centre-diamond': [4, 1, 6.24, 3], 'right-third': [8, 7, 23.76, 6] },
  },
  'kitti-17': {
    lines: { 'centre-vertical': [1, 8], 'middle-horizontal': [4, 0], diagonal: [6, 1] },
    zones: { 'left-third': [3, 3, 4.4, 2], 'centre-diamond': [4, 4, 13.9, 3], 'right-third': [9, 7, 15.5, 3] },
  },
};

/** Lines the rule put where fewer than 5 people cross (reported in the README, not moved). */
const FEW_CROSSINGS = new Set(['tud-campus/middle-horizontal', 'tud-stadtmitte/centre-vertical', 'tud-stadtmitte/middle-horizontal', 'tud-stadtmitte/diagonal', 'kitti-17/middle-horizontal']);

describe('the scene files (no data needed)', () => {
  for (const source of SEQUENCES) {
    it(`${source.id}: ${source.scene.slice(SCENES_DIR.length + 1)} loads with the agent's loader and fits the ${EXPECTED[source.id].width}×${EXPECTED[source.id].height} frame`, () => {
      const scene = loadSceneFile(source.scene);
      checkSceneFitsFrame(scene, EXPECTED[source.id].width, EXPECTED[source.id].height, source.scene);
      expect(scene.lines).toHaveLength(3);
      expect(scene.zones).toHaveLength(3);
      if (source.id !== 'pets09-s2l1') expect(scene).toMatchObject({ site: source.id, camera: 'view1' });
    });
  }
});

describe('the real sequences (../shared/datasets)', () => {
  for (const id of Object.keys(EXPECTED)) {
    it.skipIf(!present.has(id))(title(id, 'seqinfo and ground truth match the data set README'), () => {
      const s = present.get(id)!;
      const e = EXPECTED[id];
      expect({ fps: s.fps, frames: s.frames, width: s.width, height: s.height }).toEqual({ fps: e.fps, frames: e.frames, width: e.width, height: e.height });
      if (s.seqinfo) expect(readSeqinfo(s.seqinfo).name.toLowerCase()).toBe(id);
      const all = parseMot(readFileSync(s.gt, 'utf8'), s.gt);
      const scored = all.filter((b) => b.score !== 0);
      expect(all).toHaveLength(e.boxes);
      expect(scored).toHaveLength(e.scored);
      expect(new Set(scored.map((b) => b.id)).size).toBe(e.people);
      expect(Math.max(...all.map((b) => b.frame))).toBe(s.frames);
      expect(Math.min(...all.map((b) => b.frame))).toBe(1);
    });
  }

  for (const id of Object.keys(TRUTH)) {
    it.skipIf(!present.has(id))(title(id, 'the scene loads, fits the frame and is what the rule gives'), () => {
      const s = present.get(id)!;
      const scene = loadSceneFile(s.scene);
      checkSceneFitsFrame(scene, s.width, s.height, s.scene);
      const expected = sceneByRule(id, s.width, s.height, scoredGt(s.gt).map((b) => footPoint(b)[1]));
      expect({ site: scene.site, camera: scene.camera }).toEqual({ site: expected.site, camera: expected.camera });
      expect(scene.lines.map((l) => l.id)).toEqual(expected.lines.map((l) => l.id));
      expect(scene.zones.map((z) => z.id)).toEqual(expected.zones.map((z) => z.id));
      const close = (actual: readonly Point[], want: readonly Point[], where: string) => {
        expect(actual.length, where).toBe(want.length);
        actual.forEach((p, k) => {
          expect(p[0], `${where}[${k}].x`).toBeCloseTo(want[k][0], 6);
          expect(p[1], `${where}[${k}].y`).toBeCloseTo(want[k][1], 6);
        });
      };
      scene.lines.forEach((l, i) => close([l.a, l.b], [expected.lines[i].a, expected.lines[i].b], l.id));
      scene.zones.forEach((z, i) => close(z.polygon, expected.zones[i].polygon, z.id));
    });

    it.skipIf(!present.has(id))(title(id, 'counting ground truth is the README table; lines with < 5 crossings are the listed ones'), () => {
      const s = present.get(id)!;
      const truth = countTrajectories(scoredGt(s.gt), loadSceneFile(s.scene), { framesPerSecond: s.fps, frames: s.frames });
      const t = TRUTH[id];
      for (const [line, [fwd, bwd]] of Object.entries(t.lines)) {
        expect(truth.lines[line], line).toEqual({ forward: fwd, backward: bwd });
        expect(fwd + bwd < 5, `${line}: fewer than 5 crossings`).toBe(FEW_CROSSINGS.has(`${id}/${line}`));
      }
      for (const [zone, [entries, exits, personSeconds, max]] of Object.entries(t.zones)) {
        expect(truth.zones[zone], zone).toMatchObject({ entries, exits, maxOccupancy: max });
        expect(truth.zones[zone].personSeconds, zone).toBeCloseTo(personSeconds, 6);
      }
      expect(Object.keys(truth.lines)).toEqual(Object.keys(t.lines));
      expect(Object.keys(truth.zones)).toEqual(Object.keys(t.zones));
    });
  }
});
