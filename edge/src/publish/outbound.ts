/**
 * The privacy invariant in code: the only payloads that may leave the edge are a CountBatch on
 * this camera's counts topic and a CameraStatus on its status topic, each parsed strictly (an
 * extra field such as `tracks` is refused, not stripped). What is sent is the parsed value, so
 * nothing the schema does not know can ride along.
 */
import { CameraStatus, CountBatch, countsTopic, describeIssues, statusTopic } from '@byliv/protocol';

/** The two schemas allowed out; anything else is refused by identity, before any parsing. */
export type OutboundSchema = typeof CountBatch | typeof CameraStatus;

export class OutboundRefusedError extends Error {
  override name = 'OutboundRefusedError';
}

/** Checks `payload` against `schema` and the topic it is meant for; returns the bytes to send. */
export function outboundPayload(
  camera: { site: string; camera: string },
  topic: string,
  schema: OutboundSchema,
  payload: unknown,
): string {
  let expectedTopic: string;
  let what: string;
  if (schema === CountBatch) {
    expectedTopic = countsTopic(camera.site, camera.camera);
    what = 'CountBatch';
  } else if (schema === CameraStatus) {
    expectedTopic = statusTopic(camera.site, camera.camera);
    what = 'CameraStatus';
  } else {
    throw new OutboundRefusedError(`refusing to send on ${topic}: only a CountBatch or a CameraStatus may leave the edge`);
  }
  if (topic !== expectedTopic) {
    throw new OutboundRefusedError(`refusing to send a ${what} on ${topic}: camera ${camera.site}/${camera.camera} sends it only on ${expectedTopic}`);
  }
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    throw new OutboundRefusedError(`refusing to send on ${topic}: not a valid ${what}:\n${describeIssues(parsed.error)}`);
  }
  if (parsed.data.site !== camera.site || parsed.data.camera !== camera.camera) {
    throw new OutboundRefusedError(
      `refusing to send on ${topic}: the ${what} is for ${parsed.data.site}/${parsed.data.camera}, not ${camera.site}/${camera.camera}`,
    );
  }
  return JSON.stringify(parsed.data);
}
