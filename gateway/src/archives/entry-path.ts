import { badInput } from "../errors";

export interface NormalizedEntryPath {
  /** Forward slashes, NFC, no `.` or empty segments, no trailing slash. Empty for the archive root. */
  path: string;
  isDirectory: boolean;
}

/**
 * Turns a path stored in an archive into the path a file gets in Tessera, or rejects it when an
 * extractor could be tricked into writing outside its folder.
 */
export function normalizeEntryPath(raw: string): NormalizedEntryPath {
  const shown = JSON.stringify(raw);
  if (raw.includes("\0")) throw badInput(`Archive entry ${shown} contains a NUL byte`);
  if (hasControlCharacter(raw)) {
    throw badInput(`Archive entry ${shown} contains a control character`);
  }
  // Windows extractors treat a backslash as a separator, so `..\evil` must be caught as `../evil`.
  const slashed = raw.replace(/\\/g, "/");
  if (slashed.startsWith("/")) {
    throw badInput(`Archive entry ${shown} is an absolute path; expected a path relative to the archive`);
  }
  if (/^[a-zA-Z]:/.test(slashed)) {
    throw badInput(`Archive entry ${shown} starts with a drive letter; expected a relative path`);
  }
  const segments = slashed.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..")) {
    throw badInput(`Archive entry ${shown} contains "..": entries must stay inside the archive`);
  }
  return {
    // macOS stores names decomposed (NFD); one spelling per name keeps duplicates detectable.
    path: segments.join("/").normalize("NFC"),
    isDirectory: slashed.endsWith("/") || segments.length === 0,
  };
}

function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** Resource forks and Finder metadata that macOS adds when it zips a folder. */
export function isMacOsMetadata(path: string): boolean {
  const segments = path.split("/");
  const name = segments[segments.length - 1] ?? "";
  return segments.includes("__MACOSX") || name === ".DS_Store" || name.startsWith("._");
}

/** A dot-file, or anything inside a dot-folder (`.git/`, `.ipynb_checkpoints/`). */
export function isHiddenPath(path: string): boolean {
  return path.split("/").some((segment) => segment.startsWith("."));
}
