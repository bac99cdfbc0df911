import onnxProto, { type onnx } from "onnx-proto";

const { AttributeType } = onnxProto.onnx.AttributeProto;

/**
 * A node attribute, tagged with its ONNX type: a JavaScript number cannot say whether it is an
 * INT or a FLOAT, and onnxruntime rejects an attribute of the wrong type (Gemm's `alpha` must be
 * `{ float: 1 }`, its `transB` `{ int: 1 }`).
 */
export type AttributeValue =
  | { int: number }
  | { float: number }
  | { string: string }
  | { ints: readonly number[] }
  | { floats: readonly number[] }
  | { strings: readonly string[] };

const utf8 = new TextEncoder();

export function encodeAttribute(name: string, value: AttributeValue): onnx.IAttributeProto {
  if ("int" in value) return { name, type: AttributeType.INT, i: value.int };
  if ("float" in value) return { name, type: AttributeType.FLOAT, f: value.float };
  // protobufjs would read a JavaScript string in a bytes field as base64, so encode UTF-8 here.
  if ("string" in value) return { name, type: AttributeType.STRING, s: utf8.encode(value.string) };
  if ("ints" in value) return { name, type: AttributeType.INTS, ints: [...value.ints] };
  if ("floats" in value) return { name, type: AttributeType.FLOATS, floats: [...value.floats] };
  return { name, type: AttributeType.STRINGS, strings: value.strings.map((text) => utf8.encode(text)) };
}
