import { unlabeledFolder } from "../pool/unlabeled-pool";

/** The CSV at the top of an export: one row per image. */
export const labelsFileName = "labels.csv";

/** Longest file or folder name most file systems accept, in UTF-8 bytes. */
const maxSegmentBytes = 255;

/** Separators and what Windows refuses in a name; control characters are unsafe too (see isUnsafe). */
const unsafeCharacters = new Set('<>:"/\\|?*');
const windowsDeviceName = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/**
 * A name that every extractor writes as one file or folder where it was meant: separators,
 * characters Windows refuses and control characters become `_`, a leading dot (hidden files, `..`)
 * becomes `_`, trailing dots and spaces go (Windows drops them), device names get a `_` prefix,
 * and the name is cut to 255 UTF-8 bytes, keeping its extension. Unchanged when already safe, so a
 * plain class name comes back as the same class when the export is uploaded again.
 */
export function safeSegment(name: string, keepExtension: boolean): string {
  let safe = [...name.normalize("NFC")]
    .map((character) => (isUnsafe(character) ? "_" : character))
    .join("")
    .trim()
    .replace(/[. ]+$/, "");
  if (safe.startsWith(".")) safe = `_${safe.slice(1)}`;
  if (safe === "") safe = "_";
  if (windowsDeviceName.test(safe)) safe = `_${safe}`;
  return fitBytes(safe, keepExtension);
}

function isUnsafe(character: string): boolean {
  const code = character.charCodeAt(0);
  return code < 0x20 || code === 0x7f || unsafeCharacters.has(character);
}

function fitBytes(name: string, keepExtension: boolean): string {
  if (Buffer.byteLength(name) <= maxSegmentBytes) return name;
  const { stem, extension } = keepExtension ? splitExtension(name) : { stem: name, extension: "" };
  return fit(stem, extension);
}

/** `stem` cut (by whole characters) so that `stem + tail` takes at most 255 UTF-8 bytes. */
function fit(stem: string, tail: string): string {
  let budget = maxSegmentBytes - Buffer.byteLength(tail);
  let kept = "";
  for (const character of stem) {
    budget -= Buffer.byteLength(character);
    if (budget < 0) break;
    kept += character;
  }
  return (kept || "_") + tail;
}

/** `photo.jpg` → `photo` + `.jpg`; a leading dot, none, or a "extension" over 16 characters is none. */
export function splitExtension(name: string): { stem: string; extension: string } {
  const dot = name.lastIndexOf(".");
  return dot > 0 && name.length - dot <= 16
    ? { stem: name.slice(0, dot), extension: name.slice(dot) }
    : { stem: name, extension: "" };
}

/**
 * Hands out names that differ from every name taken before, ignoring case (macOS and Windows
 * extractors would otherwise write `Cat.jpg` over `cat.jpg`): the second `a.jpg` becomes `a-2.jpg`,
 * the third `a-3.jpg`, skipping any that a file of that name already took.
 */
export class UniqueNames {
  private readonly taken = new Set<string>();
  private readonly nextSuffix = new Map<string, number>();

  constructor(reserved: readonly string[] = []) {
    for (const name of reserved) this.taken.add(key(name));
  }

  take(wanted: string, keepExtension: boolean): string {
    let name = wanted;
    if (this.taken.has(key(name))) {
      const { stem, extension } = keepExtension ? splitExtension(wanted) : { stem: wanted, extension: "" };
      let suffix = this.nextSuffix.get(key(wanted)) ?? 2;
      do name = fit(stem, `-${suffix++}${extension}`);
      while (this.taken.has(key(name)));
      this.nextSuffix.set(key(wanted), suffix);
    }
    this.taken.add(key(name));
    return name;
  }
}

const key = (name: string) => name.toLowerCase();

/**
 * The folder of each class, in the order given: its safe name, made unique. `_unlabeled` (the
 * pool's folder), `__MACOSX` (skipped by uploads) and `labels.csv` are never a class's folder.
 */
export function classFolders(classNames: readonly string[]): Map<string, string> {
  const names = new UniqueNames([unlabeledFolder, "__MACOSX", labelsFileName]);
  return new Map(
    classNames.map((className) => [className, names.take(safeSegment(className, false), false)]),
  );
}

/** The file name a sample gets inside its folder: the last segment of the path it was uploaded under. */
export function baseName(originalPath: string): string {
  return originalPath.split(/[/\\]/).filter(Boolean).at(-1) ?? "";
}

/** RFC 4180: quoted when it holds a comma, a quote or a line break, or starts or ends with a space. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value.trim() !== value ? `"${value.replace(/"/g, '""')}"` : value;
}

export const csvLine = (fields: readonly string[]): string => `${fields.map(csvField).join(",")}\r\n`;

export const labelsHeader = csvLine(["path", "label", "split", "metadata"]);

/** `<dataset name>-v<number>.zip`, with the name made safe for a file system. */
export function exportFileName(datasetName: string, versionNumber: number): string {
  return `${safeSegment(datasetName, false)}-v${versionNumber}.zip`;
}
