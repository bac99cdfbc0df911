import { badInput } from "../../errors";

/** The element types a package's test tensors may hold, by their NumPy `descr`. */
const descriptors = {
  float32: { descr: "<f4", bytes: 4 },
  float64: { descr: "<f8", bytes: 8 },
  int32: { descr: "<i4", bytes: 4 },
  int64: { descr: "<i8", bytes: 8 },
  uint8: { descr: "|u1", bytes: 1 },
  int8: { descr: "|i1", bytes: 1 },
} as const;

export type NpyType = keyof typeof descriptors;

/** A dense, C-ordered tensor: what ONNX Runtime takes and gives back for numeric types. */
export interface NpyTensor {
  type: NpyType;
  dims: number[];
  data: Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Int8Array;
}

export const isNpyType = (type: string): type is NpyType => type in descriptors;

const magic = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);

/** NumPy's .npy format, version 1.0: what `numpy.load` reads without options. */
export function encodeNpy(tensor: NpyTensor): Buffer {
  const { descr } = descriptors[tensor.type];
  const shape = tensor.dims.length === 1 ? `(${tensor.dims[0]},)` : `(${tensor.dims.join(", ")})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  // The header (magic, version, length, dict, newline) is padded with spaces to a multiple of 64.
  const unpadded = magic.length + 2 + 2 + dict.length + 1;
  const header = dict + " ".repeat((64 - (unpadded % 64)) % 64) + "\n";
  const prefix = Buffer.alloc(magic.length + 4);
  magic.copy(prefix);
  prefix.writeUInt8(1, 6);
  prefix.writeUInt8(0, 7);
  prefix.writeUInt16LE(header.length, 8);
  const data = Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  return Buffer.concat([prefix, Buffer.from(header, "latin1"), data]);
}

/**
 * Reads a .npy file written by NumPy (versions 1–3, C order, little-endian numeric types above);
 * anything else is refused naming `fileName`, with at most `maxElements` values.
 */
export function decodeNpy(bytes: Buffer, fileName: string, maxElements: number): NpyTensor {
  const bad = (why: string) =>
    badInput(`${fileName} is not a usable .npy tensor: ${why}`, { file: fileName });
  if (bytes.length < 10 || !bytes.subarray(0, 6).equals(magic))
    throw bad("the NumPy magic string is missing");
  const major = bytes.readUInt8(6);
  if (major < 1 || major > 3) throw bad(`format version ${major} is not supported`);
  const lengthBytes = major === 1 ? 2 : 4;
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const dataStart = 8 + lengthBytes + headerLength;
  if (dataStart > bytes.length) throw bad("the header runs past the end of the file");
  const header = bytes.subarray(8 + lengthBytes, dataStart).toString("latin1");
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const type = (Object.keys(descriptors) as NpyType[]).find((t) => descriptors[t].descr === descr);
  if (!type)
    throw bad(
      `element type ${JSON.stringify(descr ?? "")} is not one of float32, float64, int32, int64, uint8, int8 (little-endian)`,
    );
  if (!/'fortran_order'\s*:\s*False/.test(header))
    throw bad("Fortran order is not supported; save it in C order");
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (shapeText === undefined) throw bad("the header has no shape");
  const dims = shapeText
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .map(Number);
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0))
    throw bad(`shape (${shapeText}) is not a list of sizes`);
  const count = dims.reduce((product, d) => product * d, 1);
  if (count > maxElements) throw bad(`it holds ${count} values; at most ${maxElements} are allowed`);
  const expectedBytes = count * descriptors[type].bytes;
  if (bytes.length - dataStart !== expectedBytes) {
    throw bad(
      `shape (${shapeText}) needs ${expectedBytes} data bytes but the file holds ${bytes.length - dataStart}`,
    );
  }
  // Copied so the typed array is aligned and owns its memory (it may travel to another process).
  const data = new Uint8Array(bytes.subarray(dataStart)).buffer;
  return { type, dims, data: view(type, data) };
}

function view(type: NpyType, buffer: ArrayBuffer): NpyTensor["data"] {
  switch (type) {
    case "float32":
      return new Float32Array(buffer);
    case "float64":
      return new Float64Array(buffer);
    case "int32":
      return new Int32Array(buffer);
    case "int64":
      return new BigInt64Array(buffer);
    case "uint8":
      return new Uint8Array(buffer);
    case "int8":
      return new Int8Array(buffer);
  }
}
