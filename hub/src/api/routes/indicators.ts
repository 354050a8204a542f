/** Urban-life indicators and count series in local time (Europe/Copenhagen). Filled in by the indicators work. */
import { Hono } from 'hono';
import type { HubStore } from '../../store/index.ts';
import type { ApiEnv } from '../auth.ts';

export function indicatorRoutes(_store: HubStore, _clock: () => Date) {
  return new Hono<ApiEnv>();
}
