/**
 * Camera passwords and API tokens. Passwords are kept as salted scrypt hashes (slow on
 * purpose: a stolen database must not give the cameras' credentials away); API tokens are 32
 * random bytes, so a plain sha256 is enough to make the stored value useless to a thief.
 */
import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;
const DEFAULTS = { N: 16384, r: 8, p: 1 };

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password, salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64. */
export async function hashPassword(password: string, cost: { N: number; r: number; p: number } = DEFAULTS): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** False for a wrong password and for a hash this code cannot read; never throws on input. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  if (!(N > 1 && r > 0 && p > 0) || expected.length !== KEY_LENGTH) return false;
  const key = await scrypt(password, salt, { N, r, p });
  return timingSafeEqual(key, expected);
}

/**
 * A new camera password: 24 random bytes, URL-safe (fits a shell variable and a passwd file),
 * starting with a letter or digit: one starting with "-" would be read as an option by a CLI.
 */
export function newPassword(): string {
  for (;;) {
    const password = randomBytes(24).toString('base64url');
    if (/^[A-Za-z0-9]/.test(password)) return password;
  }
}

/** A new API token; the prefix makes a leaked token easy to recognise in logs and scanners. */
export function newApiToken(): string {
  return `byliv_${randomBytes(32).toString('base64url')}`;
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * The MQTT username of a camera: `site/camera`. Ids never contain "/", so it is unique per
 * camera, and a Mosquitto ACL `pattern write byliv/v1/%u/counts` gives each camera exactly
 * its own topics (deploy/mosquitto/acl).
 */
export function cameraUsername(site: string, camera: string): string {
  return `${site}/${camera}`;
}
