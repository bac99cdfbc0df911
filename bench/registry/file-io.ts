import { createHash, randomFillSync } from "node:crypto";
import fs from "node:fs";
import { pipeline } from "node:stream/promises";

/** Chunk size for every stream the bench opens on its side (the client and the fs baseline alike). */
export const CHUNK_BYTES = 1024 * 1024;

/** Writes `bytes` of random data (incompressible, never deduplicated) to `file`; returns its sha256. */
export async function writeRandomFile(file: string, bytes: number): Promise<string> {
  const hash = createHash("sha256");
  const handle = await fs.promises.open(file, "w");
  try {
    const chunk = Buffer.alloc(CHUNK_BYTES);
    for (let written = 0; written < bytes; written += chunk.length) {
      const piece = chunk.subarray(0, Math.min(chunk.length, bytes - written));
      randomFillSync(piece);
      hash.update(piece);
      await handle.write(piece);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  return hash.digest("hex");
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(fs.createReadStream(file, { highWaterMark: CHUNK_BYTES }), hash);
  return hash.digest("hex");
}

/** Flushes the file's data to the disk, as the blob store does before it renames a finished blob. */
export async function syncFile(file: string): Promise<void> {
  const handle = await fs.promises.open(file, "r+");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The baseline copy: read and write through streams in user space, then fsync. */
export async function streamCopy(source: string, destination: string): Promise<void> {
  await pipeline(
    fs.createReadStream(source, { highWaterMark: CHUNK_BYTES }),
    fs.createWriteStream(destination, { highWaterMark: CHUNK_BYTES }),
  );
  await syncFile(destination);
}

/** `fs.copyFile` (copy_file_range in the kernel where it can), then fsync. */
export async function kernelCopy(source: string, destination: string): Promise<void> {
  await fs.promises.copyFile(source, destination);
  await syncFile(destination);
}
