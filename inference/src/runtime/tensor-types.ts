import type { TensorDataType, TensorValues } from "./model-runner";

type TypedArrayConstructor =
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | Int8ArrayConstructor
  | Int16ArrayConstructor
  | Int32ArrayConstructor
  | BigInt64ArrayConstructor
  | Uint8ArrayConstructor
  | Uint16ArrayConstructor
  | Uint32ArrayConstructor
  | BigUint64ArrayConstructor;

interface DataTypeInfo {
  /** KServe v2 datatype on the wire ("FP32"). */
  wire: string;
  /** Triton model configuration DataType ("TYPE_FP32"). */
  config: string;
  /** onnxruntime's tensor type ("float32"). */
  ort: string;
  /** Bytes per element in raw contents; 0 for BYTES, whose elements have their own lengths. */
  bytes: number;
  /** The array onnxruntime-node uses for the type; FLOAT16 travels as its bit patterns. */
  array: TypedArrayConstructor | null;
}

const dataTypes: Record<TensorDataType, DataTypeInfo> = {
  FLOAT32: { wire: "FP32", config: "TYPE_FP32", ort: "float32", bytes: 4, array: Float32Array },
  FLOAT64: { wire: "FP64", config: "TYPE_FP64", ort: "float64", bytes: 8, array: Float64Array },
  FLOAT16: { wire: "FP16", config: "TYPE_FP16", ort: "float16", bytes: 2, array: Uint16Array },
  INT8: { wire: "INT8", config: "TYPE_INT8", ort: "int8", bytes: 1, array: Int8Array },
  INT16: { wire: "INT16", config: "TYPE_INT16", ort: "int16", bytes: 2, array: Int16Array },
  INT32: { wire: "INT32", config: "TYPE_INT32", ort: "int32", bytes: 4, array: Int32Array },
  INT64: { wire: "INT64", config: "TYPE_INT64", ort: "int64", bytes: 8, array: BigInt64Array },
  UINT8: { wire: "UINT8", config: "TYPE_UINT8", ort: "uint8", bytes: 1, array: Uint8Array },
  UINT16: { wire: "UINT16", config: "TYPE_UINT16", ort: "uint16", bytes: 2, array: Uint16Array },
  UINT32: { wire: "UINT32", config: "TYPE_UINT32", ort: "uint32", bytes: 4, array: Uint32Array },
  UINT64: { wire: "UINT64", config: "TYPE_UINT64", ort: "uint64", bytes: 8, array: BigUint64Array },
  BOOL: { wire: "BOOL", config: "TYPE_BOOL", ort: "bool", bytes: 1, array: Uint8Array },
  BYTES: { wire: "BYTES", config: "TYPE_STRING", ort: "string", bytes: 0, array: null },
};

const allTypes = Object.keys(dataTypes) as TensorDataType[];
const byWire = new Map(allTypes.map((type) => [dataTypes[type].wire, type]));
const byConfig = new Map(allTypes.map((type) => [dataTypes[type].config, type]));
const byOrt = new Map(allTypes.map((type) => [dataTypes[type].ort, type]));

export const wireDataType = (type: TensorDataType): string => dataTypes[type].wire;
export const configDataType = (type: TensorDataType): string => dataTypes[type].config;
export const ortDataType = (type: TensorDataType): string => dataTypes[type].ort;
export const bytesPerElement = (type: TensorDataType): number => dataTypes[type].bytes;

export const dataTypeOfWire = (wire: string): TensorDataType | undefined => byWire.get(wire);
export const dataTypeOfConfig = (config: string): TensorDataType | undefined => byConfig.get(config);
export const dataTypeOfOrt = (ort: string): TensorDataType | undefined => byOrt.get(ort);

export const configDataTypeNames = [...byConfig.keys()];

/** Whether the tier can carry tensors of this type (BYTES has no typed array in the Tensor type). */
export function isNumericDataType(type: TensorDataType): boolean {
  return dataTypes[type].array !== null;
}

/** The typed array constructor for `type`; throws for BYTES. */
export function arrayFor(type: TensorDataType): TypedArrayConstructor {
  const array = dataTypes[type].array;
  if (!array) throw new TypeError(`${dataTypes[type].wire} tensors have no typed array`);
  return array;
}

/** Whether `data` is the array the tier uses for `type` (FLOAT16 and UINT16 share Uint16Array). */
export function arrayMatches(type: TensorDataType, data: TensorValues): boolean {
  const array = dataTypes[type].array;
  return array !== null && data instanceof array;
}

/** Elements in a tensor of `shape`; 1 for a scalar. */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

export const formatShape = (shape: readonly number[]): string => `[${shape.join(", ")}]`;
