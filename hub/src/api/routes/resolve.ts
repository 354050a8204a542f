/** Finding the camera or site a request names, with a 404 or 400 that says which and why. */
import type { HubStore } from '../../store/index.ts';
import { badRequest, notFound } from '../errors.ts';

export async function resolveCamera(store: HubStore, camera: string, site?: string): Promise<{ site: string; camera: string }> {
  if (site !== undefined) {
    if (!(await store.cameras.get(site, camera))) throw notFound(`no camera ${camera} is registered at site ${site}`);
    return { site, camera };
  }
  const sites = await store.cameras.sitesOf(camera);
  if (sites.length === 0) throw notFound(`no camera ${camera} is registered`);
  if (sites.length > 1) throw badRequest(`camera ${camera} is registered at several sites (${sites.join(', ')}): add site=…`);
  return { site: sites[0], camera };
}

export async function requireSite(store: HubStore, site: string): Promise<void> {
  if (!(await store.cameras.hasSite(site))) throw notFound(`no site ${site} is known`);
}
