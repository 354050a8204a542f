/**
 * Exact minimum-cost bipartite assignment (rectangular), with a cost limit.
 *
 * Used twice: by the ByteTracker (tracks × detections, cost 1 − IoU) and by the MOT
 * evaluator (ground truth × hypotheses). Both have sparse problems — most pairs are
 * further apart than the limit — so the matrix is first split into the connected
 * components of its allowed pairs, and each component is solved on its own with the
 * shortest-augmenting-path Hungarian method (Jonker–Volgenant style potentials, O(n²m)).
 */

export interface Assignment {
  /** `[row, col]` pairs, sorted by row. */
  matches: [number, number][];
  unmatchedRows: number[];
  unmatchedCols: number[];
}

export interface AssignmentOptions {
  /**
   * What "best" means once some pairs are forbidden (cost > costLimit):
   * - `'max-matches'` (default): among assignments that use only allowed pairs, the one with
   *   the most pairs, and among those the lowest total cost. This is the CLEAR-MOT /
   *   py-motmetrics rule (forbidden pairs get a huge cost, which is then dropped).
   * - `'threshold'`: lowest total cost where leaving a row and a column unmatched costs
   *   `costLimit` (the `lapjv(extend_cost=True, cost_limit=…)` rule ByteTrack uses). It may
   *   prefer one very good pair over two mediocre ones.
   */
  objective?: 'max-matches' | 'threshold';
}

/**
 * Match rows to columns at minimum total cost; a pair whose cost is above `costLimit`
 * (or not finite) is never matched. `cost` is rows × cols, possibly empty or rectangular.
 */
export function linearAssignment(cost: number[][], costLimit: number, options: AssignmentOptions = {}): Assignment {
  // With no finite limit, leaving a pair unmatched costs infinitely much: that is max-matches.
  const objective = Number.isFinite(costLimit) ? (options.objective ?? 'max-matches') : 'max-matches';
  const rows = cost.length;
  const cols = rows > 0 ? cost[0].length : 0;
  for (let i = 0; i < rows; i++) {
    if (cost[i].length !== cols) {
      throw new Error(`linearAssignment: row ${i} has ${cost[i].length} columns, row 0 has ${cols}`);
    }
  }

  // Union-find over rows (0..rows-1) and columns (rows..rows+cols-1), joined by allowed pairs.
  const parent = new Int32Array(rows + cols);
  for (let k = 0; k < parent.length; k++) parent[k] = k;
  const find = (k: number): number => {
    while (parent[k] !== k) {
      parent[k] = parent[parent[k]];
      k = parent[k];
    }
    return k;
  };
  let anyAllowed = false;
  for (let i = 0; i < rows; i++) {
    const row = cost[i];
    for (let j = 0; j < cols; j++) {
      if (allowed(row[j], costLimit)) {
        anyAllowed = true;
        const a = find(i);
        const b = find(rows + j);
        if (a !== b) parent[a] = b;
      }
    }
  }

  const rowMatch = new Int32Array(rows).fill(-1);
  if (anyAllowed) {
    // Group rows and columns by component root.
    const compRows = new Map<number, number[]>();
    const compCols = new Map<number, number[]>();
    for (let i = 0; i < rows; i++) push(compRows, find(i), i);
    for (let j = 0; j < cols; j++) push(compCols, find(rows + j), j);
    for (const [root, rs] of compRows) {
      const cs = compCols.get(root);
      if (!cs) continue; // a row with no allowed pair stays unmatched
      solveComponent(cost, costLimit, objective, rs, cs, rowMatch);
    }
  }

  const matches: [number, number][] = [];
  const colUsed = new Uint8Array(cols);
  const unmatchedRows: number[] = [];
  for (let i = 0; i < rows; i++) {
    const j = rowMatch[i];
    if (j >= 0) {
      matches.push([i, j]);
      colUsed[j] = 1;
    } else unmatchedRows.push(i);
  }
  const unmatchedCols: number[] = [];
  for (let j = 0; j < cols; j++) if (!colUsed[j]) unmatchedCols.push(j);
  return { matches, unmatchedRows, unmatchedCols };
}

function allowed(c: number, costLimit: number): boolean {
  return c <= costLimit && Number.isFinite(c);
}

function push(map: Map<number, number[]>, key: number, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Solve one connected component and write its allowed pairs into `rowMatch`. */
function solveComponent(
  cost: number[][],
  costLimit: number,
  objective: 'max-matches' | 'threshold',
  rs: number[],
  cs: number[],
  rowMatch: Int32Array,
): void {
  if (rs.length === 1 && cs.length === 1) {
    rowMatch[rs[0]] = cs[0]; // a lone allowed pair: nothing to decide
    return;
  }
  // The Hungarian core wants n ≤ m, so put the smaller side on the rows.
  const transposed = rs.length > cs.length;
  const small = transposed ? cs : rs;
  const large = transposed ? rs : cs;
  const n = small.length;
  const m = large.length;
  const at = (a: number, b: number): number => (transposed ? cost[large[b]][small[a]] : cost[small[a]][large[b]]);

  const w = new Float64Array(n * m);
  if (objective === 'threshold') {
    // Matching (a, b) instead of leaving both alone saves costLimit − c; a forbidden pair
    // saves nothing (0 = "as good as unmatched"), so every row may be assigned somewhere.
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < m; b++) {
        const c = at(a, b);
        w[a * m + b] = allowed(c, costLimit) ? c - costLimit : 0;
      }
    }
  } else {
    // A forbidden pair costs more than any set of allowed pairs could save, so the solver
    // first maximises the number of allowed pairs, then minimises their cost.
    let lo = Infinity;
    let hi = -Infinity;
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < m; b++) {
        const c = at(a, b);
        if (allowed(c, costLimit)) {
          if (c < lo) lo = c;
          if (c > hi) hi = c;
        }
      }
    }
    const big = Math.abs(hi) + (n + 1) * (hi - lo + 1);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < m; b++) {
        const c = at(a, b);
        w[a * m + b] = allowed(c, costLimit) ? c : big;
      }
    }
  }

  const assigned = hungarian(w, n, m);
  for (let a = 0; a < n; a++) {
    const b = assigned[a];
    if (!allowed(at(a, b), costLimit)) continue; // forbidden pair: both stay unmatched
    if (transposed) rowMatch[large[b]] = small[a];
    else rowMatch[small[a]] = large[b];
  }
}

/**
 * Minimum-cost assignment of every row of the n × m (n ≤ m) row-major matrix `w` to a
 * distinct column: shortest augmenting paths with row/column potentials. Returns the
 * column of each row.
 */
function hungarian(w: Float64Array, n: number, m: number): Int32Array {
  // 1-based internally; index 0 is the virtual source row/column.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1); // p[j] = row matched to column j (0 = none)
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      const base = (i0 - 1) * m;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = w[base + j - 1] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const colOf = new Int32Array(n);
  for (let j = 1; j <= m; j++) if (p[j] > 0) colOf[p[j] - 1] = j - 1;
  return colOf;
}
