/**
 * BYTES tensors in KServe v2's raw form (Triton's): each element is a 4-byte little-endian length
 * followed by that many bytes. The tier's runner has no BYTES type (tensor-types.ts), so the
 * generative methods encode and decode them here.
 */
export function encodeBytesElements(elements: readonly Uint8Array[]): Buffer {
  const total = elements.reduce((sum, element) => sum + 4 + element.length, 0);
  const bytes = Buffer.alloc(total);
  let offset = 0;
  for (const element of elements) {
    bytes.writeUInt32LE(element.length, offset);
    bytes.set(element, offset + 4);
    offset += 4 + element.length;
  }
  return bytes;
}

/** The elements of a raw BYTES tensor; null when the lengths do not add up to the bytes. */
export function decodeBytesElements(raw: Uint8Array): Uint8Array[] | null {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const elements: Uint8Array[] = [];
  let offset = 0;
  while (offset < raw.length) {
    if (offset + 4 > raw.length) return null;
    const length = view.getUint32(offset, true);
    if (offset + 4 + length > raw.length) return null;
    elements.push(raw.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return elements;
}
