/**
 * The `detect` stage: the Detector contract and its ONNX Runtime implementation, which reads
 * a model manifest (sha256-checked), feeds raw ffmpeg frames and decodes boxes to source pixels.
 */
export { DEFAULT_KEEP_CLASSES, DEFAULT_NMS_IOU, DEFAULT_SCORE_THRESHOLD, type Detector } from './detector.ts';
export { OnnxDetector, createOnnxDetector, resolveInputSize, toSource, type OnnxDetectorOptions } from './onnx-detector.ts';
export { inputData, type InputData } from './preprocess.ts';
export { MultiScaleDetector, createDetector } from './multi-scale.ts';
export { mergeDetections } from './merge.ts';
export { resizeArea } from './resize.ts';
