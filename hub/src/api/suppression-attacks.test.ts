/**
 * Differencing attacks on everything a researcher can ask (issue 11 item 2), on a real store
 * (SQLite, or PostgreSQL with BYLIV_TEST_STORE=postgres).
 *
 * One UTC day of one camera in 15-minute bins: line l1 quiet (mostly 0–2 a bin, so many hours
 * hold 1–4), line l2 busy. The researcher asks exports (hour, day, week; windows shifted and
 * overlapping), series (hour and day buckets, `from` and `to` moved an hour at a time; lines
 * and the site as a whole; passers, one direction, one class) and heat maps. Each published
 * number is a known sum of 15-minute base values, so the attacker's knowledge is the linear
 * span of those sums: the test checks that every 15-minute bin, every hour and every day of
 * every line, direction and class whose total the span pins down is 0 or at least k, and that
 * no difference of two answers (total minus parts, rollup minus finer rollup, shifted windows)
 * is a count under k.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubStore } from '../store/index.ts';
import { newApiToken, tokenHash } from '../auth/index.ts';
import { createApi } from './app.ts';
import { makeBatch } from '../../test/fixtures.ts';
import { openTestStore } from '../../test/stores.ts';

const K = 5;
const HOUR = 3_600_000;
const BIN = 15 * 60_000;
const DAY_START = Date.parse('2026-06-02T00:00:00Z');
const BINS = 96;
const now = new Date('2026-06-03T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

// The unknowns: line × direction × class × 15-minute bin.
const LINES = ['l1', 'l2'] as const;
const DIRS = ['forward', 'backward'] as const;
const CLASSES = ['person', 'cyclist'] as const;
const COMPONENTS = LINES.flatMap((line) => DIRS.flatMap((dir) => CLASSES.map((cls) => ({ line, dir, cls }))));
const DIMS = COMPONENTS.length * BINS;
const indexOf = (line: string, dir: string, cls: string, bin: number) => COMPONENTS.findIndex((c) => c.line === line && c.dir === dir && c.cls === cls) * BINS + bin;

/** A small seeded generator, so a failure can be replayed. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const truth = new Array<number>(DIMS).fill(0);
let store: HubStore;
let dispose: () => Promise<void>;
let api: ReturnType<typeof createApi>;
let token: string;

async function seed() {
  const rand = mulberry32(Number(process.env.BYLIV_FUZZ_SEED ?? 11));
  const pick = (values: number[]) => values[Math.floor(rand() * values.length)];
  await store.cameras.register({ site: 'park', camera: 'cam1', mqttUsername: 'park/cam1', passwordHash: 'x' }, now);
  token = newApiToken();
  await store.tokens.add({ role: 'researcher', tokenHash: tokenHash(token) }, now);
  const batches = [];
  for (let b = 0; b < BINS; b++) {
    const hour = Math.floor(b / 4);
    // l1 is quiet, except two busy hours; l2 always busy on foot, never a cyclist
    const busy = hour === 8 || hour === 17;
    const l1 = busy ? [pick([2, 3]), 2, 2, pick([0, 2])] : [pick([0, 0, 1, 2]), pick([0, 0, 0, 1]), pick([0, 1, 1, 2]), pick([0, 0, 0, 0, 1])];
    const l2 = [5 + Math.floor(rand() * 8), 0, 5 + Math.floor(rand() * 8), 0];
    for (const [line, v] of [['l1', l1], ['l2', l2]] as const) {
      truth[indexOf(line, 'forward', 'person', b)] = v[0];
      truth[indexOf(line, 'forward', 'cyclist', b)] = v[1];
      truth[indexOf(line, 'backward', 'person', b)] = v[2];
      truth[indexOf(line, 'backward', 'cyclist', b)] = v[3];
    }
    batches.push(makeBatch({ binStart: iso(DAY_START + b * BIN), binSeconds: 900, lines: { l1: l1 as [number, number, number, number], l2: l2 as [number, number, number, number] } }));
  }
  await store.bins.insertMany(batches, now);
}

/** A published number: its value and the base cells it sums. */
interface Answer {
  what: string;
  value: number;
  cells: number[];
}

const answers: Answer[] = [];
const binsOf = (fromMs: number, toMs: number) => Array.from({ length: BINS }, (_, b) => b).filter((b) => DAY_START + b * BIN >= fromMs && DAY_START + b * BIN < toMs);

async function get(path: string): Promise<{ status: number; body: any }> {
  const res = await api.request(`/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

async function askExport(rollup: string, from?: string, to?: string) {
  const range = `${from ? `&from=${from}` : ''}${to ? `&to=${to}` : ''}`;
  const { status, body } = await get(`/export?site=park&camera=cam1&rollup=${rollup}&format=json${range}`);
  expect(status, `export ${rollup}${range}`).toBe(200);
  for (const r of body.rows) {
    if (r.value === null) continue;
    const cells = binsOf(Date.parse(r.period_start), Date.parse(r.period_end)).map((b) => indexOf(r.feature_id, r.measure, r.class, b));
    answers.push({ what: `export ${rollup} ${r.period_start} ${r.feature_id} ${r.measure} ${r.class}`, value: r.value, cells });
  }
}

/** The components a series sums: the subject's lines, the measure's directions, the class. */
function componentsOf(subject: string, measure: string, cls: string) {
  const lines = subject === 'site:park' ? LINES : [subject.split('/')[2]];
  const dirs = measure === 'passers' ? DIRS : [measure];
  const classes = cls === 'all' ? CLASSES : [cls];
  return lines.flatMap((l) => dirs.flatMap((d) => classes.map((c) => ({ l, d, c }))));
}

/** Which hours a subject's series shows at all (the attacker sees this too). */
const shownHours = new Map<string, Set<number>>();

async function askSeries(subject: string, measure: string, cls: string, rollup: 'hour' | 'day', fromMs: number, toMs: number) {
  const { status, body } = await get(`/series?subject=${subject}&measure=${measure}&class=${cls}&rollup=${rollup}&from=${iso(fromMs)}&to=${iso(toMs)}`);
  expect(status, `series ${subject} ${measure} ${cls} ${rollup}`).toBe(200);
  if (rollup === 'hour') shownHours.set(subject, new Set(body.points.filter((p: any) => p.value !== null).map((p: any) => Date.parse(p.start))));
  const shown = shownHours.get(subject)!;
  for (const p of body.points) {
    if (p.value === null) continue;
    const hours = [...shown].filter((h) => h >= Date.parse(p.start) && h < Date.parse(p.end));
    const bins = hours.flatMap((h) => binsOf(h, h + HOUR));
    const cells = componentsOf(subject, measure, cls).flatMap(({ l, d, c }) => bins.map((b) => indexOf(l, d, c, b)));
    answers.push({ what: `series ${subject} ${measure} ${cls} ${rollup} ${p.start}..${p.end}`, value: p.value, cells });
  }
}

/** Row reduction modulo a prime: exact for these 0/1 sums (a false "derivable" would need p to divide a minor). */
const P = 2_147_483_629;
const mulmod = (a: number, b: number) => Number((BigInt(a) * BigInt(b)) % BigInt(P));
function powmod(a: number, e: number): number {
  let r = 1;
  for (; e > 0; e >>= 1, a = mulmod(a, a)) if (e & 1) r = mulmod(r, a);
  return r;
}
class Span {
  private rows = new Map<number, number[]>();
  reduce(v: number[]): number[] {
    const r = v.slice();
    for (let i = 0; i < DIMS; i++) {
      if (r[i] === 0) continue;
      const basis = this.rows.get(i);
      if (!basis) continue;
      const f = r[i];
      for (let j = i; j < DIMS; j++) if (basis[j] !== 0) r[j] = (r[j] - mulmod(f, basis[j]) + P) % P;
    }
    return r;
  }
  add(v: number[]): void {
    const r = this.reduce(v);
    const pivot = r.findIndex((x) => x !== 0);
    if (pivot < 0) return;
    const inv = powmod(r[pivot], P - 2);
    this.rows.set(pivot, r.map((x) => mulmod(x, inv)));
  }
  contains(v: number[]): boolean {
    return this.reduce(v).every((x) => x === 0);
  }
}
const vector = (cells: number[]) => {
  const v = new Array<number>(DIMS).fill(0);
  for (const c of cells) v[c] = 1;
  return v;
};
const sumOf = (cells: number[]) => cells.reduce((s, c) => s + truth[c], 0);
const small = (n: number) => n > 0 && n < K;

beforeAll(async () => {
  ({ store, dispose } = await openTestStore());
  api = createApi({ store, clock: () => now, suppressBelow: K });
  await seed();
}, 120_000);

describe('differencing attacks on a researcher\'s answers', () => {
  it('the data has what there is to hide: hours of l1 holding 1 to 4', () => {
    const l1Hours = COMPONENTS.filter((c) => c.line === 'l1').flatMap((c) =>
      Array.from({ length: 24 }, (_, h) => sumOf(binsOf(DAY_START + h * HOUR, DAY_START + (h + 1) * HOUR).map((b) => indexOf(c.line, c.dir, c.cls, b)))),
    );
    expect(l1Hours.filter(small).length).toBeGreaterThan(20);
  });

  it('shifted windows, overlapping periods, total minus parts and rollup minus finer rollup reveal no count under k', async () => {
    const end = DAY_START + 24 * HOUR;
    for (const rollup of ['hour', 'day', 'week']) await askExport(rollup);
    await askExport('day', '2026-06-02', '2026-06-03');
    for (let h = 0; h < 24; h += 3) await askExport('hour', iso(DAY_START + h * HOUR), iso(end));
    await askExport('hour', iso(DAY_START + 5 * HOUR), iso(DAY_START + 9 * HOUR));
    const asks: [string, string, string][] = [
      ['line:park/cam1/l1', 'passers', 'all'],
      ['line:park/cam1/l1', 'forward', 'person'],
      ['line:park/cam1/l1', 'backward', 'cyclist'],
      ['line:park/cam1/l2', 'passers', 'all'],
      ['site:park', 'passers', 'all'],
      ['site:park', 'passers', 'cyclist'],
      ['site:park', 'passers', 'person'],
    ];
    for (const [subject, measure, cls] of asks) {
      await askSeries(subject, measure, cls, 'hour', DAY_START, end);
      // local days (Copenhagen, UTC+2) cut across the UTC day: from and to moved an hour at a time
      for (let h = 0; h < 24; h += 2) {
        await askSeries(subject, measure, cls, 'day', DAY_START + h * HOUR, end);
        await askSeries(subject, measure, cls, 'day', DAY_START, end - h * HOUR);
      }
      const heat = await get(`/series/heatmap?subject=${subject}&measure=${measure}&class=${cls}&from=${iso(DAY_START)}&to=${iso(end)}`);
      expect(heat.status).toBe(200);
      for (const cell of heat.body.cells) {
        if (cell.mean === null) continue;
        const hour = [...shownHours.get(subject)!].find((t) => new Date(t).getUTCHours() === (cell.hour + 22) % 24)!;
        const cells = componentsOf(subject, measure, cls).flatMap(({ l, d, c }) => binsOf(hour, hour + HOUR).map((b) => indexOf(l, d, c, b)));
        answers.push({ what: `heatmap ${subject} ${cell.weekday}/${cell.hour}`, value: cell.mean * cell.hours, cells });
      }
    }
    // every answer is what the data says (so the cells the test assigns to it are right)
    for (const a of answers) expect(a.value, a.what).toBeCloseTo(sumOf(a.cells), 6);
    expect(answers.length).toBeGreaterThan(300);

    // any difference of two answers that is a count of its own (one's cells inside the other's)
    const sets = answers.map((a) => new Set(a.cells));
    const leaks: string[] = [];
    for (let i = 0; i < answers.length; i++) {
      for (let j = 0; j < answers.length; j++) {
        if (i === j || sets[j].size >= sets[i].size || !answers[j].cells.every((c) => sets[i].has(c))) continue;
        const diff = answers[i].value - answers[j].value;
        if (small(Math.round(diff))) leaks.push(`${answers[i].what} − ${answers[j].what} = ${diff}`);
      }
    }
    expect(leaks.slice(0, 5)).toEqual([]);

    // and every total the answers pin down together: each bin, hour and day of every component, and the line and site sums of each hour
    const span = new Span();
    for (const a of answers) span.add(vector(a.cells));
    const targets: { what: string; cells: number[] }[] = [];
    for (const [ci, c] of COMPONENTS.entries()) {
      for (let b = 0; b < BINS; b++) targets.push({ what: `${c.line} ${c.dir} ${c.cls} bin ${b}`, cells: [ci * BINS + b] });
      for (let h = 0; h < 24; h++) targets.push({ what: `${c.line} ${c.dir} ${c.cls} hour ${h}`, cells: binsOf(DAY_START + h * HOUR, DAY_START + (h + 1) * HOUR).map((b) => ci * BINS + b) });
      targets.push({ what: `${c.line} ${c.dir} ${c.cls} day`, cells: Array.from({ length: BINS }, (_, b) => ci * BINS + b) });
    }
    for (let h = 0; h < 24; h++) {
      const bins = binsOf(DAY_START + h * HOUR, DAY_START + (h + 1) * HOUR);
      for (const line of LINES) targets.push({ what: `${line} passers hour ${h}`, cells: COMPONENTS.flatMap((c, ci) => (c.line === line ? bins.map((b) => ci * BINS + b) : [])) });
    }
    const derivable = targets.filter((t) => span.contains(vector(t.cells)));
    expect(derivable.length).toBeGreaterThan(50); // the published hours of l2 and the busy hours of l1, at least
    expect(derivable.filter((t) => small(sumOf(t.cells))).map((t) => `${t.what} = ${sumOf(t.cells)}`)).toEqual([]);
  }, 600_000);
});

describe('the attack of issue 11: day totals with `from` moved one 15-minute bin at a time', () => {
  it('is refused off the grid, naming the parameter and the nearest allowed values', async () => {
    const moved = await get('/export?site=park&camera=cam1&rollup=day&format=json&from=2026-06-02T00:15:00Z');
    expect(moved.status).toBe(400);
    expect(moved.body.reason).toBe('from: 2026-06-02T00:15:00.000Z is not on the researcher grid of whole UTC days (00:00Z); the nearest allowed values are 2026-06-02T00:00:00.000Z and 2026-06-03T00:00:00.000Z');
    const seconds = await get('/export?site=park&camera=cam1&rollup=hour&format=json&to=2026-06-02T10:00:15Z');
    expect(seconds.status).toBe(400);
    expect(seconds.body.reason).toMatch(/^to: .* nearest allowed values are 2026-06-02T10:00:00.000Z and 2026-06-02T11:00:00.000Z$/);
    expect((await get('/export?site=park&camera=cam1&rollup=15m&format=json')).body.reason).toMatch(/^rollup: 15m is finer/);
    const series = await get(`/series?subject=line:park/cam1/l1&rollup=day&from=2026-06-02T00:15:00Z&to=2026-06-03T00:00:00Z`);
    expect(series.status).toBe(400);
    expect(series.body.reason).toMatch(/^from: .*whole hours/);
  });

  it('totals with `from` moved an hour at a time (the finest step allowed) recover no hour under k', async () => {
    const end = DAY_START + 24 * HOUR;
    const total = (points: { value: number | null }[]) => points.reduce((sum, p) => sum + (p.value ?? 0), 0);
    const totals: number[] = [];
    for (let h = 0; h <= 24; h++) {
      const from = DAY_START + h * HOUR;
      if (from === end) totals.push(0);
      else totals.push(total((await get(`/series?subject=line:park/cam1/l1&measure=passers&rollup=day&from=${iso(from)}&to=${iso(end)}`)).body.points));
    }
    const hourly = (h: number) => sumOf(COMPONENTS.flatMap((c, ci) => (c.line === 'l1' ? binsOf(DAY_START + h * HOUR, DAY_START + (h + 1) * HOUR).map((b) => ci * BINS + b) : [])));
    const hidden = Array.from({ length: 24 }, (_, h) => h).filter((h) => small(hourly(h)));
    expect(hidden.length).toBeGreaterThan(0);
    // neighbouring totals differ by a published hour of l1 or not at all
    const recovered = hidden.filter((h) => totals[h] - totals[h + 1] === hourly(h));
    expect(recovered).toEqual([]);
    for (let h = 0; h < 24; h++) expect(small(totals[h] - totals[h + 1]), `from ${h}:00Z`).toBe(false);
  });

  it('two exports 15 s apart, with a bin arriving between them, are the same', async () => {
    const late = makeBatch({ binStart: '2026-06-03T11:45:00Z', binSeconds: 900, lines: { l1: [3, 0, 0, 0] } });
    const at = (ms: number) => createApi({ store, clock: () => new Date(ms), suppressBelow: K });
    const exportAt = async (ms: number) => (await at(ms).request('/api/v1/export?site=park&camera=cam1&rollup=day&format=json', { headers: { authorization: `Bearer ${token}` } })).json() as Promise<any>;
    const t0 = Date.parse('2026-06-03T12:00:02Z');
    const before = await exportAt(t0);
    await store.bins.insert(late, new Date(t0 + 5000));
    const after = await exportAt(t0 + 15_000);
    expect(after.rows).toEqual(before.rows);
    expect(after.header.publishedUntil).toBe('2026-06-03T11:00:00.000Z');
  });
});

afterAll(async () => {
  await dispose();
});

describe('the researcher CSV describes itself', () => {
  it('carries licence, citation, rule and k, the dictionary in Danish and English, and real observed seconds', async () => {
    const res = await api.request('/api/v1/export?site=park&camera=cam1&rollup=day&from=2026-06-02&to=2026-06-03', { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    const meta = text.split('\n').filter((l) => l.startsWith('#'));
    expect(meta.join('\n')).toMatch(/Licence \/ licens: CC BY 4\.0/);
    expect(meta.join('\n')).toMatch(/Citation \/ citér som: Byliv/);
    expect(meta.join('\n')).toMatch(/Suppression \(k = 5\)/);
    expect(meta.some((l) => l.startsWith('#   observed_seconds (da): Sekunder'))).toBe(true);
    const [header, ...rows] = text.split('\n').filter((l) => l && !l.startsWith('#'));
    const cols = header.split(',');
    const parsed = rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i], v])));
    expect(parsed.every((r) => r.observed_seconds === '86400')).toBe(true);
    // l2 is published every hour, so its day is too; l1's day holds small hours, so it is withheld
    expect(parsed.find((r) => r.feature_id === 'l2' && r.measure === 'forward' && r.class === 'person')).toMatchObject({ suppressed: 'false' });
    expect(parsed.find((r) => r.feature_id === 'l1' && r.measure === 'forward' && r.class === 'person')).toMatchObject({ value: '', suppressed: 'true' });
  });
});
