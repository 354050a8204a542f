/**
 * The counting ground truth of the staying sequence for its scene, as the README's tables:
 * countTrajectories on the held ground truth (entries, exits, person-seconds, crossings) and
 * the zone visits with their durations (bench/mot/visits-gt.ts; staying = at least
 * STAYING_SECONDS, the protocol's definition). Needs only gt.txt (the held ground truth is
 * derived in memory, exactly as make-staying.ts writes it), not the video.
 *
 *   npx tsx bench/staying/report.ts [--scene bench/scenes/pets09-staying.json] [--hold-frame K] [--hold-seconds 60]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { STAYING_SECONDS, type CountSummary, type Scene } from '@byliv/protocol';
import { loadSceneFile } from '../../edge/src/config/scene-file.ts';
import { countTrajectories, footPoint, lineCrossings } from '../mot/counting-gt.ts';
import { parseMot, trajectories, type MotBox } from '../mot/gt.ts';
import { PETS09_GT } from '../mot/paths.ts';
import { visitStats, zoneVisits, type VisitStats, type ZoneVisits } from '../mot/visits-gt.ts';
import { holdGroundTruth } from './hold.ts';
import { STAYING_HOLD_FRAME, STAYING_HOLD_SECONDS } from './make-staying.ts';
import { STAYING_SCENE } from './rule.ts';

export interface StayingSummary extends VisitStats {
  /** Median seconds of the ended staying visits (>= stayingSeconds); NaN when none. */
  medianStayingSeconds: number;
}

/** visitStats plus the median of the staying visits alone. */
export function stayingSummary(v: ZoneVisits, stayingSeconds = STAYING_SECONDS): StayingSummary {
  const staying = v.ended.filter((e) => e.seconds >= stayingSeconds);
  const medianStayingSeconds = visitStats({ ended: staying, durations: staying.map((e) => e.seconds), open: [] }, stayingSeconds).medianSeconds;
  return { ...visitStats(v, stayingSeconds), medianStayingSeconds };
}

export interface StayingTruth {
  counts: CountSummary;
  /** Per zone: the ended visits and those still open at the last frame (bench/mot/visits-gt.ts). */
  visits: Record<string, ZoneVisits>;
  summary: Record<string, StayingSummary>;
  /** Crossings of each line by steps that lie inside the hold (frames K … K+N): should be 0. */
  crossingsDuringHold: Record<string, number>;
}

export function stayingTruth(held: readonly MotBox[], scene: Pick<Scene, 'lines' | 'zones'>, opts: { fps: number; frames: number; holdFrame: number; holdFrames: number }): StayingTruth {
  const options = { framesPerSecond: opts.fps, frames: opts.frames };
  const counts = countTrajectories(held, scene, options);
  const visits = zoneVisits(held, scene, options);
  const summary: StayingTruth['summary'] = {};
  for (const z of scene.zones) summary[z.id] = stayingSummary(visits[z.id]);
  const crossingsDuringHold: StayingTruth['crossingsDuringHold'] = {};
  const inHold = held.filter((b) => b.frame >= opts.holdFrame && b.frame <= opts.holdFrame + opts.holdFrames);
  for (const l of scene.lines) crossingsDuringHold[l.id] = trajectories(inHold).reduce((n, t) => n + lineCrossings(l, t.boxes.map(footPoint)).length, 0);
  return { counts, visits, summary, crossingsDuringHold };
}

const s1 = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '–');

export function formatTruth(t: StayingTruth): string {
  const out: string[] = [];
  out.push('| line | forward | backward | total | during the hold |', '| --- | ---: | ---: | ---: | ---: |');
  for (const [id, l] of Object.entries(t.counts.lines)) out.push(`| ${id} | ${l.forward} | ${l.backward} | ${l.forward + l.backward} | ${t.crossingsDuringHold[id]} |`);
  out.push('');
  out.push(`| zone | entries | exits | person-seconds | max occupancy | visits | staying (>= ${STAYING_SECONDS} s) | median dwell | median staying dwell |`, '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [id, z] of Object.entries(t.counts.zones)) {
    const s = t.summary[id];
    out.push(`| ${id} | ${z.entries} | ${z.exits} | ${s1(z.personSeconds)} | ${z.maxOccupancy} | ${s.visits} | ${s.staying} | ${s1(s.medianSeconds)} s | ${s1(s.medianStayingSeconds)} s |`);
  }
  out.push('');
  // Listed by first frame, then id; a visit still inside at the last frame is marked open (its seconds so far).
  out.push('| zone | visits (id: first–last frame, seconds) |', '| --- | --- |');
  for (const [id, v] of Object.entries(t.visits)) {
    const all = [...v.ended.map((e) => ({ ...e, open: false })), ...v.open.map((e) => ({ ...e, open: true }))].sort((a, b) => a.firstFrame - b.firstFrame || a.id - b.id);
    out.push(`| ${id} | ${all.map((e) => `${e.id}: ${e.firstFrame}–${e.lastFrame}, ${s1(e.seconds)} s${e.open ? ' (open at the end)' : ''}`).join('; ') || 'none'} |`);
  }
  return out.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { scene: { type: 'string' }, 'hold-frame': { type: 'string' }, 'hold-seconds': { type: 'string' } } });
  const fps = 10; // PETS09-S2L1's container rate
  const sourceFrames = 795;
  const holdFrame = Number(values['hold-frame'] ?? STAYING_HOLD_FRAME);
  const holdFrames = Math.round(Number(values['hold-seconds'] ?? STAYING_HOLD_SECONDS) * fps);
  const scene = loadSceneFile(values.scene ?? STAYING_SCENE);
  const held = holdGroundTruth(parseMot(readFileSync(PETS09_GT, 'utf8'), PETS09_GT), holdFrame, holdFrames);
  const frames = sourceFrames + holdFrames;
  console.log(`held ground truth: frame ${holdFrame} held for ${holdFrames} frames; ${frames} frames (${frames / fps} s) at ${fps} fps, ${held.length} boxes\n`);
  console.log(formatTruth(stayingTruth(held, scene, { fps, frames, holdFrame, holdFrames })));
}
