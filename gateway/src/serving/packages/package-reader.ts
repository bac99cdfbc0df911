import { createHash } from "node:crypto";
import type { ArchiveLimits } from "../../config";
import { badInput } from "../../errors";
import { limits } from "../../limits";
import { openSafeZip, type SafeZip, type SafeZipEntry } from "../../archives/safe-zip";
import { decodeNpy, type NpyTensor } from "./npy";
import { MANIFEST_FILE, parseManifest } from "./package-manifest";
import {
  CATEGORIES_FILE,
  checkCategories,
  checkMetadata,
  METADATA_FILE,
  MODEL_FOLDER,
  README_FILE,
  TEST_DATA_FOLDER,
  type CheckedMetadata,
} from "./package-metadata";

export interface NamedTensor {
  name: string;
  file: string;
  tensor: NpyTensor;
}

/** A package whose every file matched its manifest hash; the ZIP stays open for the model files. */
export interface VerifiedPackage {
  zip: SafeZip;
  metadata: CheckedMetadata;
  categories: string[];
  /** The files of the version, paths without the `model/` folder, with their manifest hashes. */
  modelFiles: Array<{ entry: SafeZipEntry; path: string; sha256: string }>;
  testInputs: NamedTensor[];
  testOutputs: NamedTensor[];
}

const topLevelFiles = new Set([MANIFEST_FILE, METADATA_FILE, CATEGORIES_FILE, README_FILE]);

/**
 * Opens a .tessera file and checks it whole before anything is stored: the ZIP's own safety checks
 * (zip-slip paths, bombs, lying sizes), then that the manifest lists exactly the files present, that
 * every file hashes to its line, and that metadata.json, categories.json and the test tensors are
 * well formed. Every refusal is BAD_USER_INPUT naming the file (`details.file`).
 */
export async function openPackage(zipPath: string, archiveLimits: ArchiveLimits): Promise<VerifiedPackage> {
  const zip = await openSafeZip(zipPath, {
    ...archiveLimits,
    maxEntries: Math.min(archiveLimits.maxEntries, limits.serving.packageEntries),
  });
  try {
    return await verify(zip);
  } catch (error) {
    zip.close();
    throw error;
  }
}

async function verify(zip: SafeZip): Promise<VerifiedPackage> {
  const byPath = new Map(zip.entries.map((entry) => [entry.path, entry]));
  const manifestEntry = byPath.get(MANIFEST_FILE);
  if (!manifestEntry) {
    throw badInput(`The package has no ${MANIFEST_FILE}: it cannot be checked, so it is refused`, {
      file: MANIFEST_FILE,
    });
  }
  const hashes = parseManifest((await readSmall(zip, manifestEntry)).toString("utf8"));
  for (const entry of zip.entries) {
    if (entry.path === MANIFEST_FILE) continue;
    if (!hashes.has(entry.path)) {
      throw badInput(`"${entry.path}" is not listed in ${MANIFEST_FILE}`, { file: entry.path });
    }
    if (
      !topLevelFiles.has(entry.path) &&
      !entry.path.startsWith(MODEL_FOLDER) &&
      !entry.path.startsWith(TEST_DATA_FOLDER)
    ) {
      throw badInput(
        `"${entry.path}" has no place in a package: expected ${[...topLevelFiles].join(", ")}, ${MODEL_FOLDER}… or ${TEST_DATA_FOLDER}…`,
        { file: entry.path },
      );
    }
  }
  for (const path of hashes.keys()) {
    if (!byPath.has(path)) {
      throw badInput(`${MANIFEST_FILE} lists "${path}" but the package does not contain it`, { file: path });
    }
  }
  const small = new Map<string, Buffer>();
  for (const entry of zip.entries) {
    if (entry.path === MANIFEST_FILE) continue;
    const keep = !entry.path.startsWith(MODEL_FOLDER);
    const { sha256, bytes } = await hashEntry(zip, entry, keep);
    if (sha256 !== hashes.get(entry.path)) {
      throw badInput(
        `"${entry.path}" does not match its sha256 in ${MANIFEST_FILE}: the file was changed or damaged`,
        { file: entry.path },
      );
    }
    if (bytes) small.set(entry.path, bytes);
  }
  const categories = checkCategories(jsonOf(small, CATEGORIES_FILE));
  const sizes = new Map(zip.entries.map((entry) => [entry.path, entry.sizeBytes]));
  const metadata = checkMetadata(jsonOf(small, METADATA_FILE), hashes, sizes, categories);
  const tensors = (files: CheckedMetadata["testInputs"]) =>
    files.map(({ name, file }) => ({
      name,
      file,
      tensor: decodeNpy(small.get(file)!, file, limits.serving.packageTestValues),
    }));
  const modelFiles = zip.entries
    .filter((entry) => entry.path.startsWith(MODEL_FOLDER))
    .map((entry) => ({
      entry,
      path: entry.path.slice(MODEL_FOLDER.length),
      sha256: hashes.get(entry.path)!,
    }));
  return {
    zip,
    metadata,
    categories,
    modelFiles,
    testInputs: tensors(metadata.testInputs),
    testOutputs: tensors(metadata.testOutputs),
  };
}

function jsonOf(files: ReadonlyMap<string, Buffer>, path: string): unknown {
  const bytes = files.get(path);
  if (!bytes) throw badInput(`The package has no ${path}`, { file: path });
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    throw badInput(`${path} is not valid JSON`, { file: path });
  }
}

async function readSmall(zip: SafeZip, entry: SafeZipEntry): Promise<Buffer> {
  return (await hashEntry(zip, entry, true)).bytes!;
}

/** Streams an entry through sha256; files read later (all but the model's) are kept, within their bound. */
async function hashEntry(
  zip: SafeZip,
  entry: SafeZipEntry,
  keep: boolean,
): Promise<{ sha256: string; bytes: Buffer | null }> {
  if (keep && entry.sizeBytes > limits.serving.packageFileBytes) {
    throw badInput(
      `"${entry.path}" holds ${entry.sizeBytes} bytes; a package's ${entry.path.startsWith(TEST_DATA_FOLDER) ? "test file" : "metadata file"} holds at most ${limits.serving.packageFileBytes}`,
      { file: entry.path },
    );
  }
  const hash = createHash("sha256");
  const chunks: Buffer[] = [];
  for await (const chunk of await zip.openEntry(entry)) {
    hash.update(chunk as Buffer);
    if (keep) chunks.push(chunk as Buffer);
  }
  return { sha256: hash.digest("hex"), bytes: keep ? Buffer.concat(chunks) : null };
}
