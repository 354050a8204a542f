/**
 * Folders for the files a run writes (--summary, --tracks), made before the first frame: a
 * missing `out/` must not cost a whole video's processing at the very end.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export function prepareOutputFolders(paths: readonly (string | undefined)[]): void {
  for (const path of paths) {
    if (!path) continue;
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      throw new Error(`cannot create the folder for ${path}: ${(error as Error).message}`);
    }
  }
}
