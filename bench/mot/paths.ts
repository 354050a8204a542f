/** Where the shared PETS09-S2L1 data set and the benchmark's scene live. */
import { fileURLToPath } from 'node:url';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export const REPO_ROOT = here('../../');
export const PETS09_DIR = process.env.BYLIV_PETS09_DIR ?? here('../../../shared/datasets/pets09-s2l1/');
export const PETS09_GT = `${PETS09_DIR.replace(/\/$/, '')}/gt.txt`;
export const PETS09_VIDEO = `${PETS09_DIR.replace(/\/$/, '')}/vtest.avi`;
export const PETS09_SCENE = here('../scenes/pets09.json');
