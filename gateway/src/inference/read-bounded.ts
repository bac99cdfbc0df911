import type { Readable } from "node:stream";
import { badInput, payloadTooLarge } from "../errors";

/** An image's bytes, refused (PAYLOAD_TOO_LARGE) as soon as more than `maxBytes` arrive. */
export async function readBounded(stream: Readable, maxBytes: number, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      stream.destroy();
      throw payloadTooLarge(`Image "${name}" is larger than the ${maxBytes}-byte limit for inference`);
    }
    chunks.push(chunk as Buffer);
  }
  if (size === 0) throw badInput(`Image "${name}" is empty`, { field: "image" });
  return Buffer.concat(chunks);
}
