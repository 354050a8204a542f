/** Registering cameras and issuing API tokens: what `byliv-hub camera add` and `token create` do. */
import type { HubStore, Role, TokenRecord } from './store/index.ts';
import type { AuditActor } from './store/tokens.ts';
import { cameraUsername, hashPassword, newApiToken, newPassword, tokenHash } from './auth/index.ts';
import { mosquittoHash } from './broker/mosquitto-config.ts';

export interface CameraCredentials {
  username: string;
  password: string;
}

/** `camera add` for a camera that is registered and active, without --rotate-password. */
export class CameraExistsError extends Error {
  constructor(readonly site: string, readonly camera: string) {
    super(`camera ${site}/${camera} is already registered; to give it a new password (its live session is closed, the old password stops working) add it with --rotate-password`);
  }
}

export type CameraOutcome = 'created' | 'rotated' | 'restored';

/**
 * Registers a camera and returns its MQTT credentials; the password is shown only here. A
 * registered camera is refused (CameraExistsError) unless `rotatePassword`: then it gets a new
 * password, the old one stops working and the embedded broker closes its live session within
 * its credential check (EmbeddedBroker, credentialCheckMs). A removed camera is registered again.
 */
export async function addCamera(
  store: HubStore,
  site: string,
  camera: string,
  at = new Date(),
  options: { rotatePassword?: boolean } = {},
): Promise<CameraCredentials & { created: boolean; outcome: CameraOutcome }> {
  const username = cameraUsername(site, camera);
  const password = newPassword();
  const { created, outcome } = await store.cameras.register({ site, camera, mqttUsername: username, passwordHash: await hashPassword(password), brokerHash: mosquittoHash(password), replace: options.rotatePassword }, at);
  if (outcome === 'exists') throw new CameraExistsError(site, camera);
  return { username, password, created, outcome };
}

/**
 * Ends a camera's account (`camera remove`): the broker refuses it and closes its live session;
 * its stored counts are kept and still served. False when no such active camera exists.
 */
export async function removeCamera(store: HubStore, site: string, camera: string, actor: AuditActor = { tokenId: null, username: null, role: null }, at = new Date()): Promise<boolean> {
  const done = await store.cameras.remove(site, camera, at);
  if (done) await store.audit.add({ ...actor, action: 'camera.remove', detail: { site, camera } }, at);
  return done;
}

/**
 * Issues an API token; only its sha256 is stored, so it is shown only here. `actor` is who
 * asked (an admin over the API); the CLI on the hub's own machine is nobody in particular.
 */
export async function createToken(
  store: HubStore,
  role: Role,
  label?: string,
  at = new Date(),
  actor: AuditActor = { tokenId: null, username: null, role: null },
): Promise<{ token: string; role: Role; id: number; record: TokenRecord }> {
  const token = newApiToken();
  const record = await store.tokens.add({ role, tokenHash: tokenHash(token), label }, at);
  await store.audit.add({ ...actor, action: 'token.create', detail: { id: record.id, role, label: label ?? null } }, at);
  return { token, role, id: record.id, record };
}
