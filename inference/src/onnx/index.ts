export { OnnxGraphBuilder, type Dimension, type ModelOptions, type NodeSpec } from "./graph-builder";
export type { AttributeValue } from "./attributes";
export type { InitializerData } from "./initializer-data";
export { elementTypeCode, elementTypeOfCode, type TensorElementType } from "./element-types";
export {
  buildFixedBatchClassifier,
  buildLinearClassifier,
  buildTinyCnn,
  linearClassifierSpec,
  tinyCnnSpec,
  type LinearClassifierOptions,
} from "./fixtures";
export {
  checkLoadsInOnnxRuntime,
  type OnnxRuntimeCheck,
  type OnnxRuntimeCheckOptions,
} from "./onnxruntime-check";
