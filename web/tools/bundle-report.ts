import { gzipSync } from "node:zlib";
import type { Plugin } from "vite";

interface ChunkLike {
  type: "chunk";
  fileName: string;
  code: string;
  isEntry: boolean;
  imports: string[];
  dynamicImports: string[];
  viteMetadata?: { importedCss: Set<string> };
}
interface AssetLike {
  type: "asset";
  fileName: string;
  source: string | Uint8Array;
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

/**
 * After Vite's per-file table, one line that matters for a first visit: what the browser must
 * download before the app can render (the entry and its static imports, with their CSS), and
 * how big the pages loaded on demand are.
 */
export function bundleReport(): Plugin {
  let summary = "";
  return {
    name: "tessera-bundle-report",
    apply: "build",
    generateBundle(_options, bundle) {
      const files = Object.values(bundle) as Array<ChunkLike | AssetLike>;
      const byName = new Map(files.map((file) => [file.fileName, file]));
      const initial = new Set<string>();
      const visit = (fileName: string) => {
        const file = byName.get(fileName);
        if (!file || initial.has(fileName)) return;
        initial.add(fileName);
        if (file.type === "chunk") {
          file.imports.forEach(visit);
          file.viteMetadata?.importedCss.forEach(visit);
        }
      };
      files
        .filter((file): file is ChunkLike => file.type === "chunk" && file.isEntry)
        .forEach((entry) => visit(entry.fileName));

      const sizeOf = (file: ChunkLike | AssetLike) => {
        const bytes = Buffer.from(file.type === "chunk" ? file.code : file.source);
        return { raw: bytes.length, gzip: gzipSync(bytes).length };
      };
      const sum = (list: Array<ChunkLike | AssetLike>) =>
        list
          .map(sizeOf)
          .reduce((total, size) => ({ raw: total.raw + size.raw, gzip: total.gzip + size.gzip }), {
            raw: 0,
            gzip: 0,
          });
      const initialFiles = files.filter((file) => initial.has(file.fileName));
      const lazyChunks = files.filter(
        (file): file is ChunkLike => file.type === "chunk" && !initial.has(file.fileName),
      );
      const first = sum(initialFiles);
      const lazy = sum(lazyChunks);
      const largest = lazyChunks
        .map((chunk) => ({ chunk, size: sizeOf(chunk) }))
        .sort((a, b) => b.size.raw - a.size.raw)[0];
      summary =
        `initial load: ${kB(first.raw)} (${kB(first.gzip)} gzip) in ${initialFiles.length} files; ` +
        `loaded on demand: ${lazyChunks.length} chunks, ${kB(lazy.raw)} (${kB(lazy.gzip)} gzip)` +
        (largest
          ? `, largest ${largest.chunk.fileName} ${kB(largest.size.raw)} (${kB(largest.size.gzip)} gzip)`
          : "");
    },
    // After Vite's own table of files, which it prints while writing them.
    closeBundle() {
      if (summary) console.log(`\n${summary}`);
    },
  };
}
