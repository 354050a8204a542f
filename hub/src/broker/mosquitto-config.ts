/**
 * Mosquitto's side of Byliv (external-broker mode), written by `byliv-hub broker-config`: the
 * config, the ACL and the password file. deploy/mosquitto/ holds what this writes for one hub
 * with the default paths (a test keeps them equal).
 *
 * Why the accounts look as they do: with `use_username_as_clientid true` Mosquitto replaces
 * every client id by the username, so nobody can connect under the hub's client id and take
 * its persistent session (and the batches queued in it) unless they hold the hub's password.
 * It also means the client id IS the session: two hubs sharing a username would take each
 * other's session. So every hub has its own username, `byliv-hub` for the first and
 * `byliv-hub-<name>` for the others (e.g. the host), each with its own read rules in the ACL.
 * Camera usernames are `site/camera`, which always contain a "/", so no camera can be named
 * like a hub.
 */
import { pbkdf2Sync, randomBytes } from 'node:crypto';

export const HUB_USERNAME = 'byliv-hub';
const HUB_NAME = /^byliv-hub(-[A-Za-z0-9][A-Za-z0-9_.-]{0,63})?$/;

export function checkHubUsername(name: string): string {
  if (!HUB_NAME.test(name)) throw new Error(`a hub's broker username is byliv-hub or byliv-hub-<name> (letters, digits, "_", "-", "."), got "${name}"`);
  return name;
}

/** A password-file hash as `mosquitto_passwd` (2.0) writes it: $7$ = PBKDF2-SHA512, 101 rounds, 12-byte salt. */
export function mosquittoHash(password: string, salt = randomBytes(12)): string {
  const hash = pbkdf2Sync(password, salt, 101, 64, 'sha512');
  return `$7$101$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export interface MosquittoPaths {
  passwordFile: string;
  aclFile: string;
  persistence: string;
  certFile: string;
  keyFile: string;
}

export const DEFAULT_PATHS: MosquittoPaths = {
  passwordFile: '/etc/mosquitto/byliv.passwd',
  aclFile: '/etc/mosquitto/byliv.acl',
  persistence: '/var/lib/mosquitto/',
  certFile: '/etc/mosquitto/certs/byliv-broker.crt',
  keyFile: '/etc/mosquitto/certs/byliv-broker.key',
};

export interface MosquittoConfigOptions {
  paths?: Partial<MosquittoPaths>;
  hubPort?: number;
  cameraPort?: number;
  /** Packet limit: the ingest's payload limit + the embedded broker's headroom. */
  maxPacketBytes?: number;
}

export function mosquittoConf(options: MosquittoConfigOptions = {}): string {
  const p = { ...DEFAULT_PATHS, ...options.paths };
  return `# Mosquitto 2.x for Byliv's external-broker mode (byliv-hub start --broker mqtt://127.0.0.1:1883).
# Written by \`byliv-hub broker-config\` (hub/src/broker/mosquitto-config.ts); deploy/mosquitto/
# holds it for one hub with these paths. Cameras connect over TLS on 8883; the hub on the same
# machine over loopback on 1883. Install: copy to /etc/mosquitto/conf.d/byliv.conf, with the
# acl and password file beside it.

per_listener_settings false
allow_anonymous false
# One user per camera, named "site/camera", and one per hub ("byliv-hub", "byliv-hub-<name>"):
# byliv-hub broker-config writes both files from the hub's store.
password_file ${p.passwordFile}
acl_file ${p.aclFile}

# Persistence: the hub's session (clean: false) and the batches queued for it while it is down
# survive a broker restart. Mosquitto acknowledges a batch to the edge BEFORE it is on disk and
# writes its database every autosave_interval seconds, so a broker CRASH can lose up to that
# much (the embedded broker has no such window: it commits to SQLite before the PUBACK).
persistence true
persistence_location ${p.persistence}
autosave_interval 10

# Several hubs (one PostgreSQL database, README.md beside this file): each connects with its
# own username, and so its own session; with --share-group byliv each subscribes to the shared
# subscription $share/byliv/byliv/v1/+/+/counts (and …/status). Mosquitto 2.0 has shared
# subscriptions built in, nothing to switch on. It hands each message to one member of the
# group, in turn, online or not: a hub that is down keeps its persistent session, and its share
# (plus what was in flight to it) waits there until it is back; none of it goes to the other
# hubs. 2.0.11 does not keep $share subscriptions across its own restart (the queued messages
# it does keep): until a hub has subscribed again, batches are acknowledged and dropped.
# A hub away longer than persistent_client_expiration loses what was queued for it.

# Queue per hub while it is away: 50 cameras × 1 batch/minute × 24 h = 72 000 (each hub of a
# group gets its share of that).
max_queued_messages 100000
# A count batch is a few kB. Mosquitto closes the connection of a client whose packet is over
# this, as soon as its header says so (nothing is buffered); under it, the hub dead-letters a
# payload over 256 KiB with its size. 256 KiB + 64 KiB for topic and headers: the embedded
# broker's limit too (hub/src/broker/embedded.ts).
max_packet_size ${options.maxPacketBytes ?? 327680}
# Keep a hub's session (and its queue) for a week of hub downtime.
persistent_client_expiration 7d

# On every listener, each client's id is its username: a camera that says it is "byliv-hub"
# gets the session "site/camera" (its own), so only the holder of a hub's password can take
# that hub's persistent session and the batches queued in it; hence one username per hub
# (README.md). Mosquitto 2.0 takes this setting per listener only: written before the first
# listener it would open a default listener on 1883 and apply to that one alone.

# The hub, on the same machine (hubs on other machines: a TLS listener for them, like the cameras').
listener ${options.hubPort ?? 1883} 127.0.0.1
use_username_as_clientid true

# Cameras, from the network: TLS only.
listener ${options.cameraPort ?? 8883}
use_username_as_clientid true
certfile ${p.certFile}
keyfile ${p.keyFile}
tls_version tlsv1.2
`;
}

export function mosquittoAcl(hubs: readonly string[] = [HUB_USERNAME]): string {
  const hubRules = hubs.map((hub) => `user ${checkHubUsername(hub)}\ntopic read byliv/v1/+/+/counts\ntopic read byliv/v1/+/+/status\n`).join('\n');
  return `# Byliv topic ACL for Mosquitto (acl_file), written by \`byliv-hub broker-config\`. Tested by
# hub/test/e2e/hub-mosquitto.test.ts and, for shared subscriptions, hub/src/broker/external.test.ts.

# Each hub reads every camera's counts and status; each has its own username (with
# use_username_as_clientid that is its session). These rules also cover the hubs' shared
# subscription ($share/byliv/byliv/v1/+/+/counts, …/status): Mosquitto 2.0 checks read access
# against the topic of each message it delivers, never against the $share/… filter (its
# acl_file does not check SUBSCRIBE at all; a "topic read $share/…" rule would match nothing).
${hubRules}
# A camera's username is "site/camera" (ids never contain "/", "+" or "#"), so %u expands to
# exactly its own two topic levels: it may publish its counts and its (retained) status and
# last will, and nothing else. Applies to every user, the hubs included (whose expansion is
# not a Byliv topic at all).
pattern write byliv/v1/%u/counts
pattern write byliv/v1/%u/status
`;
}

/** Reads `user:hash` lines of an existing password file (to keep the hubs' passwords on a rerun). */
export function parsePasswordFile(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of text.split('\n')) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) entries.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  return entries;
}

export function passwordFile(entries: Iterable<[string, string]>): string {
  return [...entries].map(([user, hash]) => `${user}:${hash}\n`).join('');
}
