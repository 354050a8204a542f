import { z } from 'zod';

/**
 * Site, camera, line and zone ids end up in MQTT topics and URLs, so they are kept to a
 * safe alphabet: no `/`, `+` or `#` can sneak a wildcard or an extra level into a topic.
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * Ids key plain objects (a batch's `lines` and `zones`, summaries), where these two names would
 * read back the object machinery instead of a line; `__proto__` already fails ID_PATTERN.
 */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export const Id = z
  .string()
  .regex(ID_PATTERN, 'must be 1–64 characters of letters, digits, "_", "-" or ".", starting with a letter or digit')
  .refine((id) => !PROTOTYPE_KEYS.has(id), 'must not be "constructor" or "prototype"');

/**
 * District ids come from the municipality's own register ("Nørrebro", "Åby-Vest") and never
 * enter an MQTT topic, so any letter counts, æ, ø and å included; they do key plain objects
 * and URLs, so the same start, length and punctuation rules as Id hold.
 */
export const DISTRICT_ID_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}_.-]{0,63}$/u;

export const DistrictId = z
  .string()
  .regex(DISTRICT_ID_PATTERN, 'must be 1–64 characters of letters (æøå too), digits, "_", "-" or ".", starting with a letter or digit')
  .refine((id) => !PROTOTYPE_KEYS.has(id), 'must not be "constructor" or "prototype"');

/**
 * A record keyed by Id. JSON.parse makes `"__proto__"` an own key, which zod's record skips
 * without a word (it cannot assign it to its output): its counts would vanish. Refused here,
 * before the record is read.
 */
export function IdRecord<V extends z.ZodType>(value: V) {
  return z.preprocess((input, ctx) => {
    if (typeof input === 'object' && input !== null) {
      for (const key of Object.keys(input)) {
        if (PROTOTYPE_KEYS.has(key)) ctx.issues.push({ code: 'custom', message: `key "${key}" is not allowed (a name of the JavaScript object machinery)`, input, path: [key] });
      }
    }
    return input;
  }, z.record(Id, value));
}
