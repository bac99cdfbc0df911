import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { text } from "node:stream/consumers";
import { loadConfig } from "../../src/config";
import type { ImportConfig } from "../../src/models/import-http";
import { LocalBlobStore } from "../../src/storage/local-blob-store";

/** A real blob store in a fresh temp folder. */
export async function tempBlobStore(): Promise<{ store: LocalBlobStore; remove: () => Promise<void> }> {
  const root = await mkdtemp(path.join(tmpdir(), "tessera-import-"));
  return { store: new LocalBlobStore(root), remove: () => rm(root, { recursive: true, force: true }) };
}

/** Every blob file in the store (the temp folder excluded): what an import left behind. */
export async function storedHashes(store: LocalBlobStore): Promise<string[]> {
  const entries = await readdir(store.root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && !path.relative(store.root, entry.parentPath).startsWith("tmp"))
    .map((entry) => entry.name)
    .sort();
}

export async function readBlob(store: LocalBlobStore, sha256: string): Promise<string> {
  return text(await store.openRead(sha256));
}

export function sha256Of(content: string | Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

/** Configuration as the gateway would load it, pointed at a fake Hub. */
export function importConfig(env: Record<string, string> = {}): ImportConfig {
  return loadConfig({ TESSERA_DATA_DIR: tmpdir(), ...env });
}
