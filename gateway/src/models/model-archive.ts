import type { ArchiveLimits } from "../config";
import { badInput } from "../errors";
import { openSafeZip } from "../archives/safe-zip";
import { isHiddenPath, isMacOsMetadata } from "../archives/entry-path";
import type { IncomingFile, IngestedFile } from "../blobs/ingest";

/**
 * Reads a ZIP of a model folder. The whole central directory is checked against the limits before
 * any entry is stored. Finder metadata and dot-files are left out. When every file sits under one
 * top-level folder (what zipping a folder produces), that folder is dropped from the paths; with
 * `preserveStructure: false` only base names are kept.
 */
export async function archiveFiles(
  zipPath: string,
  limits: ArchiveLimits,
  preserveStructure: boolean,
  ingest: (files: IncomingFile[]) => Promise<IngestedFile[]>,
): Promise<IngestedFile[]> {
  const zip = await openSafeZip(zipPath, limits);
  try {
    const entries = zip.entries.filter((e) => !isMacOsMetadata(e.path) && !isHiddenPath(e.path));
    if (entries.length === 0) throw badInput("The archive contains no files");
    const root = commonRoot(entries.map((e) => e.path));
    const files = entries.map((entry): IncomingFile => {
      const inside = root ? entry.path.slice(root.length + 1) : entry.path;
      const path = preserveStructure ? inside : inside.split("/").at(-1)!;
      return async () => ({ path, contentType: null, stream: await zip.openEntry(entry) });
    });
    return await ingest(files);
  } finally {
    await zip.close();
  }
}

function commonRoot(paths: string[]): string | null {
  const first = paths[0]?.split("/")[0];
  if (!first || paths.some((p) => !p.startsWith(`${first}/`))) return null;
  return first;
}
