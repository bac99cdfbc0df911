/**
 * ONNX tensor element types by the names onnxruntime uses for its tensors ("float32", "int64"),
 * with their `TensorProto.DataType` codes. onnx-proto's own enum stops at ONNX 1.10 (BFLOAT16), so
 * the newer 8- and 4-bit types are listed here by their codes from onnx.proto.
 */
const elementTypeCodes = {
  float32: 1,
  uint8: 2,
  int8: 3,
  uint16: 4,
  int16: 5,
  int32: 6,
  int64: 7,
  string: 8,
  bool: 9,
  float16: 10,
  float64: 11,
  uint32: 12,
  uint64: 13,
  complex64: 14,
  complex128: 15,
  bfloat16: 16,
  float8e4m3fn: 17,
  float8e4m3fnuz: 18,
  float8e5m2: 19,
  float8e5m2fnuz: 20,
  uint4: 21,
  int4: 22,
  float4e2m1: 23,
} as const;

export type TensorElementType = keyof typeof elementTypeCodes;

const elementTypesByCode = new Map<number, TensorElementType>(
  Object.entries(elementTypeCodes).map(([name, code]) => [code, name as TensorElementType]),
);

/** The `TensorProto.DataType` code of an element type. */
export function elementTypeCode(type: TensorElementType): number {
  return elementTypeCodes[type];
}

/** The element type of a `TensorProto.DataType` code; undefined for 0 (UNDEFINED) and unknown codes. */
export function elementTypeOfCode(code: number): TensorElementType | undefined {
  return elementTypesByCode.get(code);
}
