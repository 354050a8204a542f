import { ID_PATTERN } from './ids.ts';

/** Every MQTT topic Byliv uses is built and parsed here; nothing else spells one. */
export const TOPIC_ROOT = 'byliv/v1';
export type TopicKind = 'counts' | 'status';

function checkId(what: string, value: string): string {
  if (!ID_PATTERN.test(value)) throw new Error(`invalid ${what} id for a topic: ${JSON.stringify(value)}`);
  return value;
}

export function countsTopic(site: string, camera: string): string {
  return `${TOPIC_ROOT}/${checkId('site', site)}/${checkId('camera', camera)}/counts`;
}

export function statusTopic(site: string, camera: string): string {
  return `${TOPIC_ROOT}/${checkId('site', site)}/${checkId('camera', camera)}/status`;
}

/** The subscription that covers every camera's topics of one kind. */
export function allCamerasTopic(kind: TopicKind): string {
  return `${TOPIC_ROOT}/+/+/${kind}`;
}

export interface ParsedTopic {
  site: string;
  camera: string;
  kind: TopicKind;
}

/** Parses a Byliv topic, or returns null for anything that is not exactly one. */
export function parseTopic(topic: string): ParsedTopic | null {
  const parts = topic.split('/');
  if (parts.length !== 5 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT) return null;
  const [, , site, camera, kind] = parts;
  if (!ID_PATTERN.test(site) || !ID_PATTERN.test(camera)) return null;
  if (kind !== 'counts' && kind !== 'status') return null;
  return { site, camera, kind };
}
