import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { writeAtomically } from "./atomic-write";

/** Files of one load, by version then by path inside the version folder ("model.onnx"). */
export type VersionFiles = Map<string, Map<string, Uint8Array>>;

/**
 * The tier's copy of what it serves in Triton's repository layout, so the folder can be handed to
 * Triton as it is: `<name>/config.json` (the JSON form of the configuration — Triton itself
 * reads config.pbtxt) and `<name>/<version>/model.onnx`. Every file is written to a temporary
 * name, flushed and renamed, so a reader never sees half a model.
 */
export class ModelCache {
  constructor(readonly root: string) {}

  modelPath(name: string, version: string, fileName: string): string {
    return path.join(this.root, name, version, fileName);
  }

  async writeConfig(name: string, json: string): Promise<void> {
    await writeAtomically(path.join(this.root, name, "config.json"), Buffer.from(json), {
      flush: true,
    });
  }

  async readConfig(name: string): Promise<string | null> {
    try {
      return await readFile(path.join(this.root, name, "config.json"), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  }

  async writeFiles(name: string, files: VersionFiles): Promise<void> {
    for (const [version, versionFiles] of files) {
      for (const [relativePath, bytes] of versionFiles) {
        await writeAtomically(path.join(this.root, name, version, relativePath), bytes, { flush: true });
      }
    }
  }

  /** Numeric version folders of a model, lowest first. */
  async versions(name: string): Promise<string[]> {
    const entries = await readdir(path.join(this.root, name), { withFileTypes: true }).catch(() => []);
    return entries
      .filter((entry) => entry.isDirectory() && /^\d+$/.test(entry.name))
      .map((entry) => entry.name)
      .sort((a, b) => Number(a) - Number(b));
  }

  /** Deletes version folders other than `keep` (a load that brings files replaces the model's folder). */
  async removeVersionsExcept(name: string, keep: readonly string[]): Promise<void> {
    for (const version of await this.versions(name)) {
      if (!keep.includes(version))
        await rm(path.join(this.root, name, version), { recursive: true, force: true });
    }
  }
}
