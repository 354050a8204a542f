/** Writing ONNX models without a protobuf library: message encoding, a graph builder, clean-up passes. */
export { encodeVarint, ProtoWriter } from './protobuf.ts';
export { encodeModel, DataType, type ModelData, type GraphData, type NodeData, type TensorData, type ValueInfoData, type AttributeValue, type Dim } from './proto.ts';
export { GraphBuilder, type BuildNode } from './graph.ts';
export { optimizeGraph, cancelTransposes, foldPads, removeIdentities, removeDeadNodes } from './optimize.ts';
