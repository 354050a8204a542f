/** Districts, social indicators with traffic lights, the map, and their imports. Filled in by the social-indicators work. */
import { Hono } from 'hono';
import type { HubStore } from '../../store/index.ts';
import type { ApiEnv } from '../auth.ts';

export interface TrafficLightLimits {
  /** Worse than the municipal average by at least this share: yellow. */
  yellow: number;
  /** Worse than the municipal average by at least this share: red (KL's example: 0.3). */
  red: number;
}
export const DEFAULT_TRAFFIC_LIGHTS: TrafficLightLimits = { yellow: 0.1, red: 0.3 };

export function socialRoutes(_store: HubStore, _clock: () => Date, _options: { trafficLights: TrafficLightLimits; tileUrl: string | null }) {
  return new Hono<ApiEnv>();
}
