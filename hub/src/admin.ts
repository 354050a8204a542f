/** Registering cameras and issuing API tokens: what `byliv-hub camera add` and `token create` do. */
import type { HubStore, Role, TokenRecord } from './store/index.ts';
import type { AuditActor } from './store/tokens.ts';
import { cameraUsername, hashPassword, newApiToken, newPassword, tokenHash } from './auth/index.ts';

export interface CameraCredentials {
  username: string;
  password: string;
}

/**
 * Registers a camera and returns its MQTT credentials; the password is shown only here.
 * Adding a camera that exists gives it a new password (the old one stops working).
 */
export async function addCamera(store: HubStore, site: string, camera: string, at = new Date()): Promise<CameraCredentials & { created: boolean }> {
  const username = cameraUsername(site, camera);
  const password = newPassword();
  const { created } = await store.cameras.register({ site, camera, mqttUsername: username, passwordHash: await hashPassword(password) }, at);
  return { username, password, created };
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
