/**
 * Holding a frame: the held ground truth, the frame mapping, the filter string, and a real
 * ffmpeg run on a tiny synthetic clip (frame count with ffprobe -count_frames, and which
 * source frame each output frame is, by frame hashes of a lossless encode).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MotBox } from '../mot/gt.ts';
import { holdFilter, holdGroundTruth, sourceFrameOf } from './hold.ts';
import { encoderArgs } from './make-staying.ts';
import { defaultTools, packetTimes, probe, probeLoopStartOffset } from './video.ts';

const box = (frame: number, id: number, left = 10 * id, top = 5): MotBox => ({ frame, id, left, top, width: 20, height: 50, score: 1 });

describe('holdGroundTruth', () => {
  // ids 1 and 2 in frames 1–4, id 3 appears at frame 3; frame 3 held for 2 more frames.
  const gt = [box(1, 1), box(1, 2), box(2, 1), box(2, 2, 99), box(3, 1, 7), box(3, 3), box(4, 1), box(4, 3, 55)];
  const held = holdGroundTruth(gt, 3, 2);
  const at = (f: number) => held.filter((b) => b.frame === f);

  it('keeps frames before and at the held frame as they were', () => {
    expect(at(1)).toEqual([box(1, 1), box(1, 2)]);
    expect(at(2)).toEqual([box(2, 1), box(2, 2, 99)]);
    expect(at(3)).toEqual([box(3, 1, 7), box(3, 3)]);
  });

  it('repeats the held frame’s boxes, ids and positions unchanged, for the hold', () => {
    expect(at(4)).toEqual([{ ...box(3, 1, 7), frame: 4 }, { ...box(3, 3), frame: 4 }]);
    expect(at(5)).toEqual([{ ...box(3, 1, 7), frame: 5 }, { ...box(3, 3), frame: 5 }]);
  });

  it('shifts later frames by the hold', () => {
    expect(at(6)).toEqual([{ ...box(4, 1), frame: 6 }, { ...box(4, 3, 55), frame: 6 }]);
    expect(at(7)).toEqual([]);
  });

  it('adds (boxes of the held frame) × (held frames) boxes, sorted by frame then id, without touching the input', () => {
    expect(held).toHaveLength(gt.length + 2 * 2);
    expect(held.map((b) => [b.frame, b.id])).toEqual([...held].sort((a, b) => a.frame - b.frame || a.id - b.id).map((b) => [b.frame, b.id]));
    expect(gt[4]).toEqual(box(3, 1, 7));
    expect(new Set(held.map((b) => b.id))).toEqual(new Set([1, 2, 3]));
  });

  it('holds nothing for 0 frames, holds frame 1 and a frame nobody is in', () => {
    expect(holdGroundTruth(gt, 3, 0)).toEqual([...gt].sort((a, b) => a.frame - b.frame || a.id - b.id));
    expect(holdGroundTruth([box(1, 1), box(2, 1)], 1, 3).map((b) => b.frame)).toEqual([1, 2, 3, 4, 5]);
    expect(holdGroundTruth([box(1, 1), box(4, 1)], 2, 10).map((b) => b.frame)).toEqual([1, 14]);
  });

  it('rejects a frame that is not 1-based or a negative hold', () => {
    expect(() => holdGroundTruth(gt, 0, 1)).toThrow(/1-based/);
    expect(() => holdGroundTruth(gt, 2, -1)).toThrow(/holdFrames/);
    expect(() => holdGroundTruth(gt, 2.5, 1)).toThrow(/holdFrame/);
  });
});

describe('sourceFrameOf', () => {
  it('maps output frames to source frames around a hold of frame 3 for 2 frames', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => sourceFrameOf(n, 3, 2))).toEqual([1, 2, 3, 3, 3, 4, 5]);
  });
});

describe('holdFilter', () => {
  it('loops the held frame, re-times the frames and adds temporal noise', () => {
    expect(holdFilter(688, 600)).toBe('loop=loop=600:size=1:start=687,setpts=round(N/FRAME_RATE/TB),noise=alls=6:allf=t:all_seed=1');
  });

  it('takes the noise, its seed and what loop’s start counts from', () => {
    expect(holdFilter(688, 600, { noise: 8, seed: 3, loopStartOffset: 1 })).toBe('loop=loop=600:size=1:start=688,setpts=round(N/FRAME_RATE/TB),noise=alls=8:allf=t:all_seed=3');
    expect(holdFilter(1, 5, { noise: 0 })).toBe('loop=loop=5:size=1:start=0,setpts=round(N/FRAME_RATE/TB)');
    expect(holdFilter(5, 0, { noise: 0 })).toBe('setpts=round(N/FRAME_RATE/TB)');
  });

  it('rejects bad values', () => {
    expect(() => holdFilter(0, 5)).toThrow(/1-based/);
    expect(() => holdFilter(3, 5, { noise: 101 })).toThrow(/noise/);
    expect(() => holdFilter(3, 5, { loopStartOffset: 2 })).toThrow(/loopStartOffset/);
  });
});

const tools = defaultTools();
const hasFfmpeg = spawnSync(tools.ffmpeg, ['-version']).status === 0 && spawnSync(tools.ffprobe, ['-version']).status === 0;

describe.skipIf(!hasFfmpeg)('the hold filter on a real ffmpeg', () => {
  let dir: string;
  const ffmpeg = (...args: string[]) => {
    const r = spawnSync(tools.ffmpeg, ['-v', 'error', '-nostdin', '-y', ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  /** MD5 of each decoded frame, in order. */
  const frameHashes = (file: string) =>
    ffmpeg('-i', file, '-f', 'framemd5', '-')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(',').pop()!.trim());

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'byliv-hold-'));
    // 20 distinct frames, 64×48, 10 fps, lossless.
    ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10:duration=2', '-c:v', 'ffv1', join(dir, 'clip.mkv'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives 20 + N frames, each showing the source frame the ground truth says (and not with the other loop offset)', async () => {
    const offset = await probeLoopStartOffset(tools);
    const K = 7;
    const N = 13;
    // Without noise and lossless, frames can be compared exactly.
    ffmpeg('-i', join(dir, 'clip.mkv'), '-vf', holdFilter(K, N, { noise: 0, loopStartOffset: offset }), '-c:v', 'ffv1', join(dir, 'held.mkv'));
    const src = frameHashes(join(dir, 'clip.mkv'));
    const out = frameHashes(join(dir, 'held.mkv'));
    expect(src).toHaveLength(20);
    expect(new Set(src).size).toBe(20);
    expect(out).toHaveLength(20 + N);
    expect(out).toEqual(out.map((_, i) => src[sourceFrameOf(i + 1, K, N) - 1]));
    // What probeLoopStartOffset guards against: the other reading of `start` holds a neighbour.
    ffmpeg('-i', join(dir, 'clip.mkv'), '-vf', holdFilter(K, N, { noise: 0, loopStartOffset: offset === 0 ? 1 : 0 }), '-c:v', 'ffv1', join(dir, 'wrong.mkv'));
    expect(frameHashes(join(dir, 'wrong.mkv'))[K]).not.toBe(src[K - 1]);
  });

  it('encodes with the noise as the benchmark does: ffprobe counts 20 + N frames, held frames differ', async () => {
    const offset = await probeLoopStartOffset(tools);
    const video = join(dir, 'held.mp4');
    ffmpeg('-i', join(dir, 'clip.mkv'), '-vf', holdFilter(5, 10, { loopStartOffset: offset }), ...encoderArgs('10/1', 10, 'ultrafast'), video);
    const info = await probe(tools, video);
    expect(info.frames).toBe(30);
    expect(info.fps).toBe(10);
    expect(await packetTimes(tools, video)).toEqual(Array.from({ length: 30 }, (_, i) => i / 10));
    const hashes = frameHashes(video);
    expect(new Set(hashes.slice(5, 15)).size).toBe(10); // the 10 held frames are not bit-identical
  });
});
