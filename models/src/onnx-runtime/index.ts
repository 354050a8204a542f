/**
 * The one way into ONNX Runtime: `import ort from '@byliv/models/onnx-runtime'`, never
 * 'onnxruntime-node' directly (onnx-runtime.test.ts fails on a direct import). ES modules run
 * their imports in source order, so telemetry-off.ts has set the switch before the library's
 * code runs, whichever entry point (agent, model CLI, bench, test) gets here first.
 */
import './telemetry-off.ts';
import ort from 'onnxruntime-node';

export default ort;
