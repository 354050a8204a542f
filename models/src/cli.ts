/**
 * byliv-model: set up and check the detector model.
 *   fetch [--force] [--dir DIR]   fetch, convert and cache the default model; prints the manifest path
 *   verify [MANIFEST]             check a manifest and its model's sha256, open it in ONNX Runtime
 */
import ort from './onnx-runtime/index.ts';
import { ensureDefaultModel } from './fetch.ts';
import { loadManifest } from './manifest.ts';
import { defaultManifestPath } from './paths.ts';

const USAGE = `usage: byliv-model fetch [--force] [--dir DIR]
       byliv-model verify [MANIFEST]   (default ${defaultManifestPath()})`;

async function fetchCommand(args: string[]): Promise<void> {
  let force = false;
  let modelDir: string | undefined;
  for (let k = 0; k < args.length; k++) {
    if (args[k] === '--force') force = true;
    else if (args[k] === '--dir' && args[k + 1]) modelDir = args[++k];
    else throw new Error(`fetch: unknown argument ${args[k]}\n${USAGE}`);
  }
  const started = Date.now();
  const manifestPath = await ensureDefaultModel({ force, modelDir, onProgress: (m) => process.stderr.write(`byliv-model: ${m}\n`) });
  process.stderr.write(`byliv-model: ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  process.stdout.write(`${manifestPath}\n`);
}

async function verifyCommand(args: string[]): Promise<void> {
  const manifestPath = args[0] ?? defaultManifestPath();
  const { manifest, modelPath } = await loadManifest(manifestPath);
  const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1 });
  try {
    const missing = manifest.outputs.filter((o) => !session.outputNames.includes(o));
    if (!session.inputNames.includes(manifest.input.name) || missing.length > 0) {
      throw new Error(`${modelPath} does not match ${manifestPath}: model inputs ${session.inputNames.join(',')}, outputs ${session.outputNames.join(',')}`);
    }
    const { width, height } = manifest.input;
    const dims = manifest.input.layout === 'NHWC' ? [1, height, width, 3] : [1, 3, height, width];
    const size = width * height * 3;
    const input = manifest.input.dtype === 'uint8' ? new ort.Tensor('uint8', new Uint8Array(size), dims) : new ort.Tensor('float32', new Float32Array(size), dims);
    const result = await session.run({ [manifest.input.name]: input });
    const shapes = manifest.outputs.map((o) => `${o} [${result[o].dims.join(',')}]`).join(', ');
    process.stdout.write(`${manifest.name}: sha256 ok, ${manifest.classes.length} classes, ${width}x${height} ${manifest.input.pixelFormat} -> ${shapes}\n`);
  } finally {
    await session.release();
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (command === 'fetch') return fetchCommand(args);
  if (command === 'verify') return verifyCommand(args);
  process.stderr.write(`${USAGE}\n`);
  process.exitCode = command === undefined || command === '--help' || command === '-h' ? 0 : 2;
}

main(process.argv.slice(2)).catch((err: Error) => {
  process.stderr.write(`byliv-model: ${err.message}\n`);
  process.exitCode = 1;
});
