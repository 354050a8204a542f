/** Where the default model lives: `<repo>/.cache/models/nanodet-m/`, or BYLIV_MODEL_DIR. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file's location (models/src/paths.ts). */
export function repoRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export function defaultModelDir(): string {
  return process.env.BYLIV_MODEL_DIR ? path.resolve(process.env.BYLIV_MODEL_DIR) : path.join(repoRoot(), '.cache', 'models', 'nanodet-m');
}

export function defaultManifestPath(): string {
  return path.join(defaultModelDir(), 'manifest.json');
}

/** The original TF.js files kept next to the ONNX model (for re-conversion and the equivalence test). */
export function defaultSourceDir(): string {
  return path.join(defaultModelDir(), 'source');
}
