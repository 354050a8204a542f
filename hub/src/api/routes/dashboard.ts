/** Serves the dashboard's built files. Filled in by the dashboard work. */
import { Hono } from 'hono';
import type { ApiEnv } from '../auth.ts';

export function dashboardRoutes(_options: { dashboardDir?: string }) {
  return new Hono<ApiEnv>();
}
