import { z } from 'zod';

/**
 * Site, camera, line and zone ids end up in MQTT topics and URLs, so they are kept to a
 * safe alphabet: no `/`, `+` or `#` can sneak a wildcard or an extra level into a topic.
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const Id = z
  .string()
  .regex(ID_PATTERN, 'must be 1–64 characters of letters, digits, "_", "-" or ".", starting with a letter or digit');
