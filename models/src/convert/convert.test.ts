/**
 * The converted NanoDet against the original TF.js graph, run by TF.js itself on its CPU
 * backend, on a real frame of the PETS 2009 video.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import ort from '../onnx-runtime/index.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONVERTER_VERSION, DEFAULT_MODEL_SOURCE_LINE, ensureDefaultModel } from '../fetch.ts';
import { loadManifest, type ModelManifest } from '../manifest.ts';
import { repoRoot } from '../paths.ts';
import { NANODET_MEAN, NANODET_STD, convertNanoDet } from './nanodet.ts';
import { loadTfjsGraph } from './tfjs-graph.ts';

const VIDEO = path.join(repoRoot(), '..', 'shared', 'datasets', 'pets09-s2l1', 'vtest.avi');
const FRAME = 100;
const PERSON = 0;

/** Which TF.js output each ONNX output must equal, read off the original graph by hand. */
const TF_OUTPUT_OF: Record<string, string> = {
  cls_8: 'Identity',
  cls_16: 'Identity_1',
  cls_32: 'Identity_2',
  reg_8: 'Identity_3',
  reg_16: 'Identity_4',
  reg_32: 'Identity_5',
};

/** One frame as ffmpeg's bgr24 at the given size, in memory only. */
function framePixels(index: number, width: number, height: number): Uint8Array {
  return execFileSync('ffmpeg', [
    '-v', 'error', '-i', VIDEO,
    '-vf', `select=eq(n\\,${index}),scale=${width}:${height}`,
    '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'bgr24', '-',
  ], { maxBuffer: 64 << 20 });
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

function maxPersonScore(cls: ort.Tensor, batchIndex = 0): number {
  const [, cells, classes] = cls.dims;
  const data = cls.data as Float32Array;
  let max = 0;
  for (let c = 0; c < cells; c++) max = Math.max(max, data[(batchIndex * cells + c) * classes + PERSON]);
  return max;
}

describe('NanoDet TF.js -> ONNX conversion', () => {
  let manifest: ModelManifest;
  let modelPath: string;
  let sourceDir: string;
  let session: ort.InferenceSession;
  let pixels: Uint8Array;

  beforeAll(async () => {
    const manifestPath = await ensureDefaultModel({ onProgress: (m) => console.error(`[model] ${m}`) });
    ({ manifest, modelPath } = await loadManifest(manifestPath));
    sourceDir = path.join(path.dirname(manifestPath), 'source');
    session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 2 });
    pixels = framePixels(FRAME, manifest.input.width, manifest.input.height);
    return () => session.release();
  });

  it('writes a manifest that describes the converted model', () => {
    expect(manifest).toMatchObject({
      name: 'nanodet-m',
      decoder: 'nanodet',
      source: DEFAULT_MODEL_SOURCE_LINE,
      input: { name: 'images', width: 416, height: 416, layout: 'NHWC', pixelFormat: 'bgr24', dtype: 'uint8', dynamicBatch: true, dynamicSize: true },
      outputs: ['cls_8', 'reg_8', 'cls_16', 'reg_16', 'cls_32', 'reg_32'],
    });
    expect(manifest.classes).toHaveLength(80);
    expect([manifest.classes[0], manifest.classes[1], manifest.classes[79]]).toEqual(['person', 'bicycle', 'toothbrush']);
    expect(session.inputNames).toEqual(['images']);
    expect(session.outputNames).toEqual(manifest.outputs);
  });

  it('matches the original graph run by TF.js on a real frame', async () => {
    // Reference: the untouched TF.js graph, fed the normalised NCHW float tensor it was built for.
    await tf.setBackend('cpu');
    const json = JSON.parse(await readFile(path.join(sourceDir, 'nanodet.json'), 'utf8'));
    const bin = await readFile(path.join(sourceDir, 'nanodet.bin'));
    const reference = await loadGraphModel({
      load: async () => ({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights),
        weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
        format: json.format,
        signature: json.signature,
      }),
    });
    const { width, height } = manifest.input;
    const plane = width * height;
    const nchw = new Float32Array(3 * plane);
    for (let i = 0; i < plane; i++) {
      for (let c = 0; c < 3; c++) nchw[c * plane + i] = (pixels[i * 3 + c] - NANODET_MEAN[c]) / NANODET_STD[c];
    }
    const names = Object.values(TF_OUTPUT_OF);
    const outputs = tf.tidy(() => reference.execute(tf.tensor(nchw, [1, 3, height, width]), names) as tf.Tensor[]);
    const expected = Object.fromEntries(names.map((n, k) => [n, { data: outputs[k].dataSync(), dims: outputs[k].shape }]));
    tf.dispose(outputs);

    // The ONNX model takes the raw bgr24 bytes; normalisation happens inside the graph.
    const got = await session.run({ images: new ort.Tensor('uint8', pixels, [1, height, width, 3]) });
    const diffs: Record<string, number> = {};
    for (const [onnxName, tfName] of Object.entries(TF_OUTPUT_OF)) {
      expect(got[onnxName].dims).toEqual(expected[tfName].dims);
      diffs[onnxName] = maxAbsDiff(got[onnxName].data as Float32Array, expected[tfName].data);
    }
    console.error(`[convert] max |ONNX - TF.js| per output: ${JSON.stringify(diffs)}`);
    for (const name of ['cls_8', 'cls_16', 'cls_32']) expect(diffs[name]).toBeLessThan(1e-4); // sigmoid scores
    for (const name of ['reg_8', 'reg_16', 'reg_32']) expect(diffs[name]).toBeLessThan(1e-3); // bin logits, up to ~10
    // The frame shows pedestrians: the comparison is not between two empty outputs.
    expect(maxPersonScore(got.cls_8)).toBeGreaterThan(0.5);
  });

  it('runs a batch of frames, each as it runs alone', async () => {
    const { width, height } = manifest.input;
    const other = framePixels(FRAME + 200, width, height);
    const batch = new Uint8Array(pixels.length * 2);
    batch.set(pixels, 0);
    batch.set(other, pixels.length);
    const together = await session.run({ images: new ort.Tensor('uint8', batch, [2, height, width, 3]) });
    const alone = await session.run({ images: new ort.Tensor('uint8', other, [1, height, width, 3]) });
    for (const name of manifest.outputs) {
      const [, cells, channels] = together[name].dims;
      expect(together[name].dims).toEqual([2, cells, channels]);
      const second = (together[name].data as Float32Array).subarray(cells * channels);
      expect(maxAbsDiff(second, alone[name].data as Float32Array)).toBeLessThan(1e-4);
    }
  });

  it.each([
    [512, 384],
    [640, 480],
  ])('runs at %ix%i (dynamic size) and still finds the pedestrians', async (width, height) => {
    const frame = framePixels(FRAME, width, height);
    const out = await session.run({ images: new ort.Tensor('uint8', frame, [1, height, width, 3]) });
    for (const stride of [8, 16, 32]) {
      const cells = (width / stride) * (height / stride);
      expect(out[`cls_${stride}`].dims).toEqual([1, cells, 80]);
      expect(out[`reg_${stride}`].dims).toEqual([1, cells, 44]);
    }
    expect(maxPersonScore(out.cls_8)).toBeGreaterThan(0.5);
  });

  it('is reproducible: converting the cached TF.js files again gives the cached ONNX bytes', async () => {
    const graph = await loadTfjsGraph(path.join(sourceDir, 'nanodet.json'));
    const again = convertNanoDet(graph, { dynamicSize: true, producerVersion: CONVERTER_VERSION, source: DEFAULT_MODEL_SOURCE_LINE });
    expect(createHash('sha256').update(again.model).digest('hex')).toBe(manifest.sha256);
    expect(again.optimised.transposes).toBeGreaterThan(0);
    expect(again.nodeCount).toBeLessThan(graph.nodes.length);
  });
});
