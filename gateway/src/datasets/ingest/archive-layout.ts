import { limits } from "../../limits";
import { isHiddenPath, isMacOsMetadata } from "../../archives/entry-path";

/** A file that may become a sample of `className` once its content is checked. */
export interface ClassFile<Entry> {
  entry: Entry;
  /** The path as stored in the archive (wrapper folder included): the sample's originalPath. */
  path: string;
  className: string;
}

export interface LayoutSkip {
  path: string;
  reason: string;
}

export interface ArchiveLayout<Entry> {
  files: ClassFile<Entry>[];
  skipped: LayoutSkip[];
}

export const skipReasons = {
  macOsMetadata: "macOS metadata (__MACOSX, ._ or .DS_Store), not an image",
  hidden: "a hidden file or folder (its name starts with a dot)",
  atRoot: "not inside a class folder: put each image in a folder named after its class",
  badClassName: `the class folder's name must be 1–${limits.classNameLength} characters after trimming`,
} as const;

/**
 * Decides which class each archive file belongs to, before any content is read. The rules:
 * - each top-level folder is a class, named by the folder name trimmed (1–100 characters);
 * - files in deeper folders belong to their top-level class folder (the full path is kept);
 * - files at the archive root are skipped: they carry no class;
 * - a top-level `_unlabeled/` folder is not a class: its images become the version's unlabeled
 *   pool (see pool/unlabeled-pool.ts), decoded and checked like every other image;
 * - `__MACOSX/`, `._*`, `.DS_Store` and anything in or named with a leading dot is skipped;
 * - when every remaining file sits under one single top-level folder that has subfolders (someone
 *   zipped the folder that holds the class folders), that folder is dropped and its subfolders are
 *   the classes; files directly inside it then count as root files. A lone folder with no
 *   subfolders stays the one class, so a one-class dataset is not emptied.
 */
export function planArchiveLayout<Entry extends { path: string }>(
  entries: readonly Entry[],
): ArchiveLayout<Entry> {
  const skipped: LayoutSkip[] = [];
  const candidates: Entry[] = [];
  for (const entry of entries) {
    if (isMacOsMetadata(entry.path)) skipped.push({ path: entry.path, reason: skipReasons.macOsMetadata });
    else if (isHiddenPath(entry.path)) skipped.push({ path: entry.path, reason: skipReasons.hidden });
    else candidates.push(entry);
  }
  const wrapper = wrappingFolder(candidates.map((entry) => entry.path));
  const files: ClassFile<Entry>[] = [];
  for (const entry of candidates) {
    const inside = wrapper ? entry.path.slice(wrapper.length + 1) : entry.path;
    const slash = inside.indexOf("/");
    if (slash < 0) {
      skipped.push({ path: entry.path, reason: skipReasons.atRoot });
      continue;
    }
    const className = inside.slice(0, slash).trim();
    if (className.length === 0 || className.length > limits.classNameLength) {
      skipped.push({ path: entry.path, reason: skipReasons.badClassName });
      continue;
    }
    files.push({ entry, path: entry.path, className });
  }
  return { files, skipped };
}

function wrappingFolder(paths: readonly string[]): string | null {
  const first = paths[0]?.split("/")[0];
  if (!first || !paths.every((path) => path.startsWith(`${first}/`))) return null;
  const hasSubfolder = paths.some((path) => path.indexOf("/", first.length + 1) >= 0);
  return hasSubfolder ? first : null;
}
