/** Installation evaluations (before/after, like with like, optional control zone). Filled in by the evaluations work. */
import { Hono } from 'hono';
import type { HubStore } from '../../store/index.ts';
import type { ApiEnv } from '../auth.ts';

export function evaluationRoutes(_store: HubStore, _clock: () => Date) {
  return new Hono<ApiEnv>();
}
