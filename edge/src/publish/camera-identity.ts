/**
 * Is the scene's camera the one the MQTT account belongs to? A camera's broker account is named
 * after it: `byliv-hub camera add <site> <camera>` creates the username "<site>/<camera>", and
 * the broker (embedded or Mosquitto's ACL) lets it publish only under byliv/v1/<site>/<camera>/.
 * An agent whose scene names another camera would count for hours and see every batch
 * refused or dropped, so the mismatch is told at start, naming both sides. Pure.
 */
export interface SceneIdentity {
  site: string;
  camera: string;
}

/** The username the hub gives a camera (hub/src/auth/secrets.ts cameraUsername). */
export function cameraAccountName(site: string, camera: string): string {
  return `${site}/${camera}`;
}

/** undefined when they match (or no username is used: an open local broker); else what is wrong. */
export function cameraIdentityMismatch(scene: SceneIdentity, username: string | undefined, scenePath: string): string | undefined {
  if (username === undefined) return undefined;
  const expected = cameraAccountName(scene.site, scene.camera);
  if (username === expected) return undefined;
  const parts = username.split('/');
  const account = parts.length === 2 && parts[0] && parts[1] ? `site ${parts[0]}, camera ${parts[1]}` : 'not a camera account: those are named <site>/<camera>';
  return (
    `camera identity: the scene ${scenePath} is site ${scene.site}, camera ${scene.camera} (MQTT username ${expected}), ` +
    `but --username is ${JSON.stringify(username)} (${account}); the broker lets an account publish only its own camera's counts. ` +
    `Use the username that 'byliv-hub camera add ${scene.site} ${scene.camera}' printed, or correct site and camera in the scene.`
  );
}
