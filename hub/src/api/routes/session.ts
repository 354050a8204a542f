/** Sign-in sessions and the admin's users, tokens and cameras. Filled in by the sign-in work. */
import { Hono } from 'hono';
import type { HubStore } from '../../store/index.ts';
import type { ApiEnv } from '../auth.ts';

export function sessionRoutes(_store: HubStore, _clock: () => Date, _options: { secureCookies: boolean }) {
  return new Hono<ApiEnv>();
}
