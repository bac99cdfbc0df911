import type { TensorElementType } from "./element-types";

/** Typed arrays an initializer can be made from; ONNX raw data is their bytes, little-endian. */
export type InitializerData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** Element types each array can carry, the usual one first. */
function elementTypesOf(data: InitializerData): readonly [TensorElementType, ...TensorElementType[]] {
  if (data instanceof Float32Array) return ["float32"];
  if (data instanceof Float64Array) return ["float64"];
  if (data instanceof Int8Array) return ["int8"];
  if (data instanceof Uint8Array) return ["uint8", "bool"];
  if (data instanceof Int16Array) return ["int16"];
  if (data instanceof Uint16Array) return ["uint16", "float16", "bfloat16"];
  if (data instanceof Int32Array) return ["int32"];
  if (data instanceof Uint32Array) return ["uint32"];
  if (data instanceof BigInt64Array) return ["int64"];
  return ["uint64"];
}

/** The element type an initializer is stored as: the array's own, or a requested one of the same width. */
export function initializerElementType(
  name: string,
  data: InitializerData,
  requested: TensorElementType | undefined,
): TensorElementType {
  const allowed = elementTypesOf(data);
  if (requested === undefined) return allowed[0];
  if (!allowed.includes(requested)) {
    throw new TypeError(
      `Initializer "${name}": a ${data.constructor.name} cannot hold ${requested}; expected one of ${allowed.join(", ")}`,
    );
  }
  return requested;
}
