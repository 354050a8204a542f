/** Sites, cameras (with their current scene) and installations. */
import { createRoute } from '@hono/zod-openapi';
import { Id, Scene, SceneLine, SceneZone } from '@byliv/protocol';
import type { HubStore } from '../../store/index.ts';
import { auditActor, requireRole } from '../auth.ts';
import { apiRouter, errors, json, jsonBodyOf, jsonRequest, roles, z } from '../contract.ts';
import { badRequest } from '../errors.ts';
import { Instant } from '../params.ts';
import { Installation, Time } from '../schemas.ts';
import { requireSite } from './resolve.ts';

const InstallationBody = z
  .object({
    id: Id,
    site: Id,
    name: z.string().min(1).max(200),
    kind: z.string().min(1).max(100).openapi({ example: 'bench' }),
    installedAt: z.iso.datetime({ offset: true }),
    removedAt: z.iso.datetime({ offset: true }).nullable().default(null),
  })
  .strict()
  .refine((i) => i.removedAt === null || Date.parse(i.removedAt) > Date.parse(i.installedAt), { message: 'removedAt must be after installedAt', path: ['removedAt'] })
  .openapi('InstallationInput', { description: 'removedAt (default null) must be after installedAt' });

export const Site = z
  .object({ site: z.string(), name: z.string().nullable(), createdAt: Time, cameras: z.number().int().openapi({ description: 'Cameras registered at the site' }) })
  .openapi('Site');

export const Camera = z
  .object({
    site: z.string(),
    camera: z.string(),
    mqttUsername: z.string(),
    createdAt: Time,
    scene: z
      .object({
        version: z.number().int(),
        validFrom: Time,
        lines: z.array(SceneLine.meta({ id: 'SceneLine' })),
        zones: z.array(SceneZone.meta({ id: 'SceneZone' })),
      })
      .nullable()
      .openapi({ description: 'The scene version in force now; null before the first PUT …/scene' }),
  })
  .openapi('Camera');

const SiteCameraParams = z.object({ site: z.string().openapi({ description: 'Site id' }), camera: z.string().openapi({ description: 'Camera id' }) });
const READERS = ['admin', 'planner', 'researcher'] as const;

export function catalogRoutes(store: HubStore, clock: () => Date) {
  const app = apiRouter();
  const anyRole = requireRole(store, ...READERS);
  const admin = requireRole(store, 'admin');

  app.openapi(
    createRoute({
      method: 'get',
      path: '/sites',
      summary: 'Sites',
      description: roles(...READERS),
      middleware: [anyRole] as const,
      responses: { 200: json(z.object({ sites: z.array(Site) })), ...errors(401, 403) },
    }),
    async (c) => c.json({ sites: await store.cameras.sites() }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/sites/{site}/cameras',
      summary: 'Cameras of a site, with their current scene',
      description: roles(...READERS),
      middleware: [anyRole] as const,
      request: { params: SiteCameraParams.pick({ site: true }) },
      responses: { 200: json(z.object({ site: z.string(), cameras: z.array(Camera) })), ...errors(401, 403, 404) },
    }),
    async (c) => {
      const { site } = c.req.valid('param');
      await requireSite(store, site);
      const cameras = [];
      for (const cam of await store.cameras.list(site)) {
        const scene = await store.scenes.current(cam.site, cam.camera);
        cameras.push({ ...cam, scene: scene ? { version: scene.version, validFrom: scene.validFrom, lines: scene.scene.lines, zones: scene.scene.zones } : null });
      }
      return c.json({ site, cameras }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/sites/{site}/cameras/{camera}/scene',
      summary: 'Record a new version of a camera scene (lines, zones, their installations)',
      description: `${roles('admin')} Audited. The camera must be registered; every installation a line or zone names must exist. The scene's site and camera must be those of the path.`,
      middleware: [admin, jsonBodyOf('scene')] as const,
      request: {
        params: SiteCameraParams,
        query: z.object({ validFrom: Instant.optional().openapi({ description: 'When this scene version starts to apply (default: now)' }) }).strict(),
        body: jsonRequest(Scene.meta({ id: 'Scene', description: 'A scene as in @byliv/protocol: lines (two points) and zones (a polygon) in pixels of the camera frame, y down' })),
      },
      responses: { 201: json(z.object({ site: z.string(), camera: z.string(), version: z.number().int() }), 'Stored as the new version'), ...errors(400, 401, 403, 415) },
    }),
    async (c) => {
      const { site, camera } = c.req.valid('param');
      const { validFrom } = c.req.valid('query');
      const scene = c.req.valid('json');
      if (!(await store.cameras.get(site, camera))) throw badRequest(`register camera ${site}/${camera} first (byliv-hub camera add)`);
      if (scene.site !== site || scene.camera !== camera) throw badRequest(`the scene is for ${scene.site}/${scene.camera}, not ${site}/${camera}`);
      for (const item of [...scene.lines, ...scene.zones]) {
        if (item.installation && !(await store.installations.get(item.installation))) throw badRequest(`${item.id}: installation ${item.installation} does not exist; add it first`);
      }
      const version = await store.scenes.add(scene, validFrom ?? clock());
      await store.audit.add({ ...auditActor(c.get('principal')), action: 'scene.put', detail: { site, camera, version } }, clock());
      return c.json({ site, camera, version }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/installations',
      summary: 'Installations (benches, stages, play elements) with install and removal dates',
      description: roles(...READERS),
      middleware: [anyRole] as const,
      request: { query: z.object({ site: Id.optional().openapi({ description: 'Only this site' }) }).strict() },
      responses: { 200: json(z.object({ installations: z.array(Installation) })), ...errors(400, 401, 403) },
    }),
    async (c) => c.json({ installations: await store.installations.list(c.req.valid('query').site) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/installations',
      summary: 'Add an installation, or update the one with the same id',
      description: `${roles('admin')} Audited.`,
      middleware: [admin, jsonBodyOf('installation')] as const,
      request: { body: jsonRequest(InstallationBody) },
      responses: { 200: json(Installation, 'Updated'), 201: json(Installation, 'Created'), ...errors(400, 401, 403, 404, 415) },
    }),
    async (c) => {
      const input = c.req.valid('json');
      await requireSite(store, input.site);
      const { created } = await store.installations.upsert(input, clock());
      await store.audit.add({ ...auditActor(c.get('principal')), action: created ? 'installation.create' : 'installation.update', detail: input }, clock());
      const stored = (await store.installations.get(input.id))!;
      return created ? c.json(stored, 201) : c.json(stored, 200);
    },
  );

  return app;
}
