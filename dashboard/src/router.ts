/** Hash routes: "#/charts?subject=zone:a/b/c&rollup=hour" → { path: "charts", params }. Pure. */
export interface Route {
  path: string;
  params: URLSearchParams;
}

export const PAGES = ['login', 'cards', 'cards/print', 'map', 'charts', 'evaluation', 'evaluation/print', 'downloads', 'health', 'admin', 'audit'] as const;
export type Page = (typeof PAGES)[number];

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = (q < 0 ? raw : raw.slice(0, q)).replace(/\/+$/, '');
  return { path, params: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
}

/** "#/charts?subject=…" from a path and parameters (empty ones left out). */
export function hashFor(path: string, params: Record<string, string | null | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return `#/${path}${s ? `?${s}` : ''}`;
}

/** Which pages a role may open (the hub enforces the same on its routes). */
export function pagesFor(role: 'admin' | 'planner' | 'researcher'): Page[] {
  if (role === 'researcher') return ['downloads', 'charts'];
  if (role === 'planner') return ['cards', 'map', 'charts', 'evaluation', 'downloads', 'health'];
  return ['cards', 'map', 'charts', 'evaluation', 'downloads', 'health', 'admin', 'audit'];
}
