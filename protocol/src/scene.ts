import { z } from 'zod';
import { Id } from './ids.ts';

/** A point in pixels of the source frame: `[x, y]`, y pointing down. */
export const Point = z.tuple([z.number().finite(), z.number().finite()]);
export type Point = z.infer<typeof Point>;

export const SceneLine = z
  .object({
    id: Id,
    name: z.string().optional(),
    /** The installation this line evaluates, if any. */
    installation: Id.optional(),
    a: Point,
    b: Point,
  })
  .strict()
  .refine((l) => l.a[0] !== l.b[0] || l.a[1] !== l.b[1], { message: 'a line needs two different end points' });
export type SceneLine = z.infer<typeof SceneLine>;

export const SceneZone = z
  .object({
    id: Id,
    name: z.string().optional(),
    installation: Id.optional(),
    polygon: z.array(Point).min(3, 'a zone polygon needs at least 3 points'),
  })
  .strict();
export type SceneZone = z.infer<typeof SceneZone>;

/** What one camera looks at: the lines and zones to count, in pixels of its frames. */
export const Scene = z
  .object({
    camera: Id,
    site: Id,
    lines: z.array(SceneLine).default([]),
    zones: z.array(SceneZone).default([]),
  })
  .strict()
  .superRefine((scene, ctx) => {
    for (const kind of ['lines', 'zones'] as const) {
      const seen = new Set<string>();
      scene[kind].forEach((item, i) => {
        if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [kind, i, 'id'], message: `duplicate id "${item.id}"` });
        seen.add(item.id);
      });
    }
  });
export type Scene = z.infer<typeof Scene>;
