import { open, type FileHandle } from "node:fs/promises";
import onnxProto from "onnx-proto";
import { ModelLoadError } from "./model-signature";

const { StringStringEntryProto } = onnxProto.onnx;

/**
 * The metadata_props key of a model that takes feature vectors instead of images, naming whose
 * vectors ("feature-embedder/v1": the built-in embedder's): the task services compute them first.
 */
export const featuresMetadataKey = "tessera.features";

/** ModelProto field numbers and protobuf wire types, from onnx.proto and the protobuf encoding. */
const metadataPropsField = 14;
const wireType = { varint: 0, fixed64: 1, lengthDelimited: 2, fixed32: 5 } as const;

/**
 * A model file's metadata_props. Only the top-level fields are walked, with positioned reads:
 * the graph (nearly all of the file) is skipped by its length, so a large model costs a few
 * small reads rather than a second copy of its weights in memory.
 */
export async function readOnnxMetadata(modelPath: string): Promise<Record<string, string>> {
  const file = await open(modelPath, "r");
  try {
    const { size } = await file.stat();
    const metadata: Record<string, string> = {};
    let position = 0;
    while (position < size) {
      const tag = await readVarint(file, position, size);
      position = tag.end;
      const field = Math.floor(tag.value / 8);
      const type = tag.value % 8;
      if (type === wireType.varint) position = (await readVarint(file, position, size)).end;
      else if (type === wireType.fixed64) position += 8;
      else if (type === wireType.fixed32) position += 4;
      else if (type === wireType.lengthDelimited) {
        const length = await readVarint(file, position, size);
        position = length.end + length.value;
        if (position > size) throw malformed(`field ${field} runs past the end of the file`);
        if (field === metadataPropsField) {
          const entry = StringStringEntryProto.decode(await readBytes(file, length.end, length.value));
          metadata[entry.key] = entry.value;
        }
      } else throw malformed(`field ${field} has wire type ${type}, which ModelProto never uses`);
    }
    return metadata;
  } finally {
    await file.close();
  }
}

async function readBytes(file: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** A varint (up to 10 bytes); only tags and lengths are used, and those are exact as doubles. */
async function readVarint(
  file: FileHandle,
  position: number,
  size: number,
): Promise<{ value: number; end: number }> {
  const bytes = await readBytes(file, position, Math.min(10, size - position));
  let value = 0;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index]!;
    value += (byte & 0x7f) * 2 ** (7 * index);
    if (byte < 0x80) return { value, end: position + index + 1 };
  }
  throw malformed(`the varint at byte ${position} does not end`);
}

function malformed(reason: string): ModelLoadError {
  return new ModelLoadError(`the ONNX file's metadata cannot be read: ${reason}`);
}
