import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "vite";

/**
 * A hash of everything a build of web/dist depends on. Every build stores it in the output
 * (`dist/.source-hash`), so whether a build is current is a comparison, not a guess from mtimes
 * (which a clone or a checkout resets).
 */
const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const distDir = path.join(webRoot, "dist");
export const STAMP_FILE = ".source-hash";

const inputs = [
  "index.html",
  "package.json",
  "vite.config.ts",
  "tools/bundle-report.ts",
  "tools/source-hash.ts",
  // Installed library versions are part of the bundle.
  "../package-lock.json",
  // The gateway's options table, which the start form imports (src/training/option-spec.ts).
  "../gateway/src/training/training-option-spec.ts",
];

export async function sourceHash(): Promise<string> {
  const sources = (await readdir(path.join(webRoot, "src"), { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(webRoot, path.join(entry.parentPath, entry.name)));
  const hash = createHash("sha256");
  for (const file of [...inputs, ...sources.sort()]) {
    hash.update(file).update("\0");
    hash.update(await readFile(path.join(webRoot, file)).catch(() => Buffer.alloc(0))).update("\0");
  }
  return hash.digest("hex");
}

/** Writes the sources' hash into the build output. */
export function sourceStamp(): Plugin {
  let hash = "";
  return {
    name: "tessera-source-stamp",
    apply: "build",
    async buildStart() {
      hash = await sourceHash();
    },
    generateBundle() {
      this.emitFile({ type: "asset", fileName: STAMP_FILE, source: hash });
    },
  };
}
