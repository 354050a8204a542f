/** Response shapes that several route groups share (named components of the OpenAPI document). */
import { z } from '@hono/zod-openapi';
import { ROLES } from '../store/index.ts';
import { TIME_ZONE } from '../indicators/index.ts';

export const Time = z.string().openapi({ format: 'date-time', description: 'ISO 8601, UTC' });
export const NullableTime = Time.nullable();

export const RoleName = z.enum(ROLES).openapi('Role');

export const Installation = z
  .object({
    id: z.string(),
    site: z.string(),
    name: z.string(),
    kind: z.string().openapi({ example: 'bench' }),
    installedAt: Time,
    removedAt: NullableTime.openapi({ description: 'null while it is in place' }),
  })
  .openapi('Installation', { description: 'A bench, stage, play element… with the dates it was put up and taken down' });

export const MovementClass = z.enum(['person', 'cyclist', 'all']);

/** The subject a local-time answer is about. */
export const SubjectRef = z
  .object({
    kind: z.enum(['site', 'zone', 'line', 'installation', 'district']),
    id: z.string(),
    name: z.string(),
  })
  .openapi('SubjectRef');

/** The local routes' zone, typed as the literal their answers carry. */
export const LOCAL_ZONE: 'Europe/Copenhagen' = TIME_ZONE;
export const LocalZone = z.literal(LOCAL_ZONE);

/**
 * A named schema or null. Not `.nullable()`: zod-to-openapi copies the name onto the nullable
 * copy, and whichever it meets first becomes the component (a nullable Effect for every use).
 */
export const orNull = <T extends z.ZodType>(schema: T) => z.union([schema, z.null()]);
