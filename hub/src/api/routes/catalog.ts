/** Sites, cameras (with their current scene) and installations. */
import { Hono } from 'hono';
import { z } from 'zod';
import { Id, Scene, describeIssues } from '@byliv/protocol';
import type { HubStore } from '../../store/index.ts';
import { auditActor, requireRole, type ApiEnv } from '../auth.ts';
import { badRequest } from '../errors.ts';
import { Instant, jsonBody, parseQuery } from '../params.ts';
import { requireSite } from './resolve.ts';

const InstallationBody = z
  .object({
    id: Id,
    site: Id,
    name: z.string().min(1).max(200),
    kind: z.string().min(1).max(100),
    installedAt: z.iso.datetime({ offset: true }),
    removedAt: z.iso.datetime({ offset: true }).nullable().default(null),
  })
  .strict()
  .refine((i) => i.removedAt === null || Date.parse(i.removedAt) > Date.parse(i.installedAt), { message: 'removedAt must be after installedAt', path: ['removedAt'] });

export function catalogRoutes(store: HubStore, clock: () => Date) {
  const app = new Hono<ApiEnv>();
  const anyRole = requireRole(store, 'admin', 'planner', 'researcher');
  const admin = requireRole(store, 'admin');

  app.get('/sites', anyRole, (c) => c.json({ sites: store.cameras.sites() }));

  app.get('/sites/:site/cameras', anyRole, (c) => {
    const site = c.req.param('site');
    requireSite(store, site);
    const cameras = store.cameras.list(site).map((cam) => {
      const scene = store.scenes.current(cam.site, cam.camera);
      return { ...cam, scene: scene ? { version: scene.version, validFrom: scene.validFrom, lines: scene.scene.lines, zones: scene.scene.zones } : null };
    });
    return c.json({ site, cameras });
  });

  app.put('/sites/:site/cameras/:camera/scene', admin, async (c) => {
    const { site, camera } = c.req.param();
    const { validFrom } = parseQuery(z.object({ validFrom: Instant.optional() }).strict(), c.req.query());
    if (!store.cameras.get(site, camera)) throw badRequest(`register camera ${site}/${camera} first (byliv-hub camera add)`);
    const parsed = Scene.safeParse(await jsonBody(c.req));
    if (!parsed.success) throw badRequest(`not a valid scene:\n${describeIssues(parsed.error)}`);
    if (parsed.data.site !== site || parsed.data.camera !== camera) throw badRequest(`the scene is for ${parsed.data.site}/${parsed.data.camera}, not ${site}/${camera}`);
    for (const item of [...parsed.data.lines, ...parsed.data.zones]) {
      if (item.installation && !store.installations.get(item.installation)) throw badRequest(`${item.id}: installation ${item.installation} does not exist; add it first`);
    }
    const version = store.scenes.add(parsed.data, validFrom ?? clock());
    store.audit.add({ ...auditActor(c.get('principal')), action: 'scene.put', detail: { site, camera, version } }, clock());
    return c.json({ site, camera, version }, 201);
  });

  app.get('/installations', anyRole, (c) => {
    const { site } = parseQuery(z.object({ site: Id.optional() }).strict(), c.req.query());
    return c.json({ installations: store.installations.list(site) });
  });

  app.post('/installations', admin, async (c) => {
    const parsed = InstallationBody.safeParse(await jsonBody(c.req));
    if (!parsed.success) throw badRequest(`not a valid installation:\n${describeIssues(parsed.error)}`);
    requireSite(store, parsed.data.site);
    const { created } = store.installations.upsert(parsed.data, clock());
    store.audit.add({ ...auditActor(c.get('principal')), action: created ? 'installation.create' : 'installation.update', detail: parsed.data }, clock());
    return c.json(store.installations.get(parsed.data.id), created ? 201 : 200);
  });

  return app;
}
