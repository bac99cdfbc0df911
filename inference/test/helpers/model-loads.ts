/**
 * RepositoryModelLoad parameters in Triton's load-from-memory convention: "config" as JSON and
 * one "file:<version>/model.onnx" per version.
 */
export function loadRequest(
  name: string,
  config: object | null,
  files: Record<string, Uint8Array> = {},
): { model_name: string; parameters: Record<string, object> } {
  const parameters: Record<string, object> = {};
  if (config) parameters.config = { string_param: JSON.stringify(config) };
  for (const [version, bytes] of Object.entries(files)) {
    parameters[`file:${version}/model.onnx`] = { bytes_param: Buffer.from(bytes) };
  }
  return { model_name: name, parameters };
}

/** Float32 values as raw little-endian bytes, as raw_input_contents carries them. */
export function rawFloat32(values: readonly number[]): Buffer {
  return Buffer.from(Float32Array.from(values).buffer);
}

/** Raw little-endian float32 bytes back to numbers. */
export function float32s(bytes: Buffer): number[] {
  const copy = new Uint8Array(bytes);
  return [...new Float32Array(copy.buffer, 0, copy.byteLength / 4)];
}
