export { OnnxGraphBuilder, type Dimension, type ModelOptions, type NodeSpec } from "./graph-builder";
export { encodeAttribute, type AttributeValue } from "./attributes";
export type { InitializerData } from "./initializer-data";
export { elementTypeCode, elementTypeOfCode, type TensorElementType } from "./element-types";
export {
  checkLoadsInOnnxRuntime,
  type OnnxRuntimeCheck,
  type OnnxRuntimeCheckOptions,
} from "./onnxruntime-check";
