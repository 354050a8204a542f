import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadManifest, parseManifest, writeManifest, type ModelManifest } from './manifest.ts';

const MODEL_BYTES = Buffer.from('not really a model, but bytes with a known hash');

function validManifest(): ModelManifest {
  return {
    name: 'test-model',
    file: 'model.onnx',
    sha256: createHash('sha256').update(MODEL_BYTES).digest('hex'),
    input: { name: 'images', width: 416, height: 416, layout: 'NHWC', pixelFormat: 'bgr24', dtype: 'uint8', dynamicBatch: true, dynamicSize: true },
    decoder: 'nanodet',
    classes: ['person', 'bicycle'],
    outputs: ['cls_8', 'reg_8'],
  };
}

describe('loadManifest', () => {
  let dir: string;
  let manifestPath: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'byliv-manifest-test-'));
    manifestPath = path.join(dir, 'manifest.json');
    await writeFile(path.join(dir, 'model.onnx'), MODEL_BYTES);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const writeJson = (data: unknown) => writeFile(manifestPath, JSON.stringify(data));

  it('returns the manifest and the model path resolved next to it', async () => {
    await writeManifest(manifestPath, validManifest());
    const { manifest, modelPath } = await loadManifest(manifestPath);
    expect(manifest).toEqual(validManifest());
    expect(modelPath).toBe(path.join(dir, 'model.onnx'));
  });

  it('names the file and the field path of each bad field', async () => {
    const bad = validManifest() as unknown as { input: Record<string, unknown>; classes: unknown[] };
    bad.input.layout = 'NHW';
    bad.classes[1] = '';
    await writeJson(bad);
    const error = await loadManifest(manifestPath).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(manifestPath);
    expect((error as Error).message).toMatch(/input\.layout: /);
    expect((error as Error).message).toMatch(/classes\[1\]: /);
  });

  it('rejects unknown keys (strict) and a size that is not a multiple of 32 for a dynamic-size model', () => {
    expect(() => parseManifest({ ...validManifest(), colour: 'red' }, 'm.json')).toThrow(/m\.json[\s\S]*colour/);
    const odd = validManifest();
    odd.input.width = 420;
    expect(() => parseManifest(odd, 'm.json')).toThrow(/input\.width: with dynamicSize, width and height must be multiples of 32/);
  });

  it('refuses a model file whose sha256 differs, naming both hashes', async () => {
    await writeManifest(manifestPath, validManifest());
    await writeFile(path.join(dir, 'model.onnx'), Buffer.from('tampered'));
    const actual = createHash('sha256').update('tampered').digest('hex');
    await expect(loadManifest(manifestPath)).rejects.toThrow(new RegExp(`sha256 ${actual}.*expects ${validManifest().sha256}`));
  });

  it('says which file is missing', async () => {
    await writeManifest(manifestPath, { ...validManifest(), file: 'elsewhere.onnx' });
    await expect(loadManifest(manifestPath)).rejects.toThrow(/elsewhere\.onnx \(field "file" of .*manifest\.json\) cannot be read/);
    await expect(loadManifest(path.join(dir, 'none.json'))).rejects.toThrow(/cannot read model manifest .*none\.json/);
  });

  it('reports JSON syntax errors with the file name', async () => {
    await writeFile(manifestPath, '{ "name": ');
    await expect(loadManifest(manifestPath)).rejects.toThrow(/manifest .*manifest\.json is not valid JSON/);
  });

  it('does not write an invalid manifest', async () => {
    await expect(writeManifest(manifestPath, { ...validManifest(), sha256: 'ABC' })).rejects.toThrow(/sha256: expected 64 lowercase hex digits/);
  });
});
