/**
 * What a camera may do on the embedded broker: publish only its own counts and status, and
 * subscribe only under its own topics. Plain functions of the camera and the topic.
 */
import { countsTopic, statusTopic, TOPIC_ROOT } from '@byliv/protocol';

export interface CameraIdentity {
  site: string;
  camera: string;
  username: string;
}

export function mayPublish(camera: CameraIdentity, topic: string): boolean {
  return topic === countsTopic(camera.site, camera.camera) || topic === statusTopic(camera.site, camera.camera);
}

/**
 * A subscription filter must lie inside the camera's own topic prefix. Ids cannot contain
 * wildcards or "/", so a filter that starts with the literal prefix cannot reach another camera.
 */
export function maySubscribe(camera: CameraIdentity, filter: string): boolean {
  const own = `${TOPIC_ROOT}/${camera.site}/${camera.camera}/`;
  return filter.startsWith(own) && !filter.slice(own.length).includes('/');
}
