/** TF.js graph model -> ONNX: reading, folding, shape inference, op conversion, and the NanoDet specifics. */
export { loadTfjsGraph, parseTfjsGraph, type TfGraph, type TfNode } from './tfjs-graph.ts';
export { foldConstants, fuseConvBias, topoSort } from './fold.ts';
export { inferShapes } from './shapes.ts';
export { prepareGraph, emitOnnx, OPSET_VERSION, IR_VERSION, type EmitOptions, type EmitResult } from './emit.ts';
export { convertNanoDet, COCO_CLASSES, NANODET_MEAN, NANODET_STD, NANODET_STRIDES, type NanoDetOnnx } from './nanodet.ts';
