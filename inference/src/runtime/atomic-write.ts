import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";

/** How a file still being written ends; one left behind by a crash was never renamed into place. */
export const temporarySuffix = ".tmp";

/**
 * Writes `bytes` to `target` under a temporary name, then renames it into place, so a reader (or
 * a restart) never sees half a file. `flush` waits for the bytes to reach the disk first, for
 * files that cannot be rebuilt; a cache that can recompute its files skips that wait.
 */
export async function writeAtomically(
  target: string,
  bytes: Uint8Array,
  options: { flush: boolean },
): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.${randomBytes(6).toString("hex")}${temporarySuffix}`;
  const file = await open(temporary, "w");
  try {
    await file.writeFile(bytes);
    if (options.flush) await file.sync();
  } finally {
    await file.close();
  }
  try {
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
