/**
 * byliv-hub camera add|remove and broker-config: the cameras' MQTT accounts, and Mosquitto's
 * files for them (external-broker mode).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Id } from '@byliv/protocol';
import { CameraExistsError, addCamera, removeCamera } from './admin.ts';
import { newPassword } from './auth/index.ts';
import { HUB_USERNAME, checkHubUsername, mosquittoAcl, mosquittoConf, mosquittoHash, parsePasswordFile, passwordFile } from './broker/mosquitto-config.ts';
import { UsageError, dataDir, parse, withStore } from './cli-common.ts';

export const CAMERAS_USAGE = `  byliv-hub camera add --site S --camera C [--rotate-password] [--data-dir DIR]
      registers a camera; prints {"username","password"}. A registered camera is refused unless
      --rotate-password: then the old password stops working and the embedded broker closes its
      live session within 5 s (with Mosquitto: run broker-config again and reload Mosquitto)
  byliv-hub camera remove --site S --camera C [--data-dir DIR]
      ends the camera's MQTT account (its live session is closed the same way); its stored
      counts are kept and still served; camera add registers it again
  byliv-hub broker-config --out DIR [--hub USER]… [--etc-dir DIR] [--persistence-dir DIR]
                          [--hub-port N] [--camera-port N] [--data-dir DIR]
      writes Mosquitto's byliv.conf, byliv.acl and byliv.passwd into DIR: every active camera
      and each hub user (default byliv-hub; one per hub, e.g. byliv-hub-b). A hub user already in
      DIR/byliv.passwd keeps its password; a new one gets one, printed once`;

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
const log = (line: string) => process.stderr.write(`byliv-hub: ${line}\n`);

function id(name: string, value: string | undefined): string {
  if (value === undefined) throw new UsageError(`--${name} is required`);
  if (!Id.safeParse(value).success) throw new UsageError(`--${name} "${value}": ids are 1–64 letters, digits, "_", "-" or ".", starting with a letter or digit`);
  return value;
}

function port(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`--${name} must be a port number from 1 to 65535, got "${value}"`);
  return n;
}

export async function cameraCommand(sub: string | undefined, args: string[]): Promise<void> {
  if (sub === 'add') return cameraAdd(args);
  if (sub === 'remove') return cameraRemove(args);
  throw new UsageError(`unknown command "camera${sub === undefined ? '' : ` ${sub}`}" (camera add, camera remove)`);
}

async function cameraAdd(args: string[]): Promise<void> {
  const v = parse(args, { ...dataDir, site: { type: 'string' }, camera: { type: 'string' }, 'rotate-password': { type: 'boolean', default: false } });
  const site = id('site', v.site);
  const camera = id('camera', v.camera);
  await withStore(v, async (store) => {
    try {
      const { username, password, outcome } = await addCamera(store, site, camera, new Date(), { rotatePassword: v['rotate-password'] });
      await store.audit.add({ tokenId: null, username: null, role: null, action: outcome === 'rotated' ? 'camera.password' : 'camera.add', detail: { site, camera } }, new Date());
      print({ username, password });
      const what = { created: 'registered', rotated: 'new password for', restored: 'registered again' }[outcome];
      log(`${what} camera ${site}/${camera}; with Mosquitto run byliv-hub broker-config again and reload it (systemctl reload mosquitto)`);
    } catch (error) {
      // Not a usage error: the command line was right, the camera exists (exit 1).
      if (error instanceof CameraExistsError) throw new Error(error.message);
      throw error;
    }
  });
}

async function cameraRemove(args: string[]): Promise<void> {
  const v = parse(args, { ...dataDir, site: { type: 'string' }, camera: { type: 'string' } });
  const site = id('site', v.site);
  const camera = id('camera', v.camera);
  await withStore(v, async (store) => {
    if (!(await removeCamera(store, site, camera))) throw new Error(`no active camera ${site}/${camera}`);
    print({ removed: `${site}/${camera}`, countsKept: true });
    log(`removed camera ${site}/${camera}: its account is ended, its counts are kept; with Mosquitto run byliv-hub broker-config again and reload it`);
  });
}

export async function brokerConfigCommand(args: string[]): Promise<void> {
  const v = parse(args, {
    ...dataDir,
    out: { type: 'string' },
    hub: { type: 'string', multiple: true },
    'etc-dir': { type: 'string', default: '/etc/mosquitto' },
    'persistence-dir': { type: 'string', default: '/var/lib/mosquitto/' },
    'hub-port': { type: 'string' },
    'camera-port': { type: 'string' },
  });
  if (v.out === undefined) throw new UsageError('--out is required (the folder to write byliv.conf, byliv.acl and byliv.passwd into)');
  const hubs = [...new Set(v.hub ?? [HUB_USERNAME])];
  for (const hub of hubs) {
    try {
      checkHubUsername(hub);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const etc = v['etc-dir']!;
  const conf = mosquittoConf({
    paths: { passwordFile: join(etc, 'byliv.passwd'), aclFile: join(etc, 'byliv.acl'), certFile: join(etc, 'certs/byliv-broker.crt'), keyFile: join(etc, 'certs/byliv-broker.key'), persistence: v['persistence-dir']! },
    hubPort: port('hub-port', v['hub-port']),
    cameraPort: port('camera-port', v['camera-port']),
  });
  const passwdPath = join(v.out, 'byliv.passwd');
  const previous = existsSync(passwdPath) ? parsePasswordFile(readFileSync(passwdPath, 'utf8')) : new Map<string, string>();
  const entries = new Map<string, string>();
  const hubPasswords: Record<string, string> = {};
  for (const hub of hubs) {
    const kept = previous.get(hub);
    if (kept) entries.set(hub, kept);
    else {
      hubPasswords[hub] = newPassword();
      entries.set(hub, mosquittoHash(hubPasswords[hub]));
    }
  }
  const withoutHash: string[] = [];
  await withStore(v, async (store) => {
    for (const { username, brokerHash } of await store.cameras.brokerAccounts()) {
      // A camera added before the hub kept Mosquitto hashes: its old line, if there is one.
      const hash = brokerHash ?? previous.get(username);
      if (hash) entries.set(username, hash);
      else withoutHash.push(username);
    }
  });
  mkdirSync(v.out, { recursive: true });
  writeFileSync(join(v.out, 'byliv.conf'), conf);
  writeFileSync(join(v.out, 'byliv.acl'), mosquittoAcl(hubs));
  writeFileSync(passwdPath, passwordFile(entries), { mode: 0o600 });
  print({ out: v.out, hubs, cameras: entries.size - hubs.length, hubPasswords, camerasWithoutPassword: withoutHash });
  if (withoutHash.length > 0) log(`no Mosquitto password for ${withoutHash.join(', ')} (added before the hub kept one): give each a new one with camera add --rotate-password`);
  log(`wrote ${v.out}/byliv.{conf,acl,passwd}; install them in ${etc} (the conf in conf.d/) and reload Mosquitto (systemctl reload mosquitto): it rereads the password file and the ACL and disconnects a client whose password no longer matches`);
}
