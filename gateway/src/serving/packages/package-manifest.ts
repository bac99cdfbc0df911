import { badInput } from "../../errors";
import { normalizeEntryPath } from "../../archives/entry-path";

export const MANIFEST_FILE = "MANIFEST.sha256";

/** `sha256sum` output: `<64 hex>  <path>` per line, sorted by path, so `sha256sum -c` checks a package. */
export function formatManifest(hashes: ReadonlyMap<string, string>): string {
  return [...hashes]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, sha256]) => `${sha256}  ${path}\n`)
    .join("");
}

/**
 * Path → sha256 from a manifest in `sha256sum` format (text `  ` or binary ` *` marker). A path that
 * could leave the folder, a line that is not a hash and a path, and a path listed twice are refused
 * naming the line; the manifest never lists itself.
 */
export function parseManifest(text: string): Map<string, string> {
  const hashes = new Map<string, string>();
  const lines = text.split("\n").map((line) => line.replace(/\r$/, ""));
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    const match = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line);
    const where = `${MANIFEST_FILE} line ${index + 1}`;
    if (!match) throw badInput(`${where} is not "<sha256>  <path>"`, { file: MANIFEST_FILE });
    const raw = match[2] as string;
    const { path, isDirectory } = normalizeEntryPath(raw);
    if (isDirectory || path !== raw) {
      throw badInput(`${where} names ${JSON.stringify(raw)}; expected a normalised relative file path`, {
        file: MANIFEST_FILE,
      });
    }
    if (path === MANIFEST_FILE) throw badInput(`${where} lists the manifest itself`, { file: MANIFEST_FILE });
    if (hashes.has(path)) throw badInput(`${where} lists "${path}" a second time`, { file: path });
    hashes.set(path, (match[1] as string).toLowerCase());
  }
  if (hashes.size === 0) throw badInput(`${MANIFEST_FILE} lists no files`, { file: MANIFEST_FILE });
  return hashes;
}
