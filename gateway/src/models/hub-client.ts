import { badInput } from "../errors";
import type { Logger } from "../logger";
import { fileMatcher, type FilePatterns } from "./file-patterns";
import { HubApi, type HubFile } from "./hub-api";
import { parseRepoId, parseRevision } from "./hub-names";
import { ImportHttp, type ImportConfig, type ImportOptions } from "./import-http";
import { ImportedBlobs, type ImportBlobStore, type ImportedFile } from "./imported-blobs";

export type { HubFile } from "./hub-api";
export type { ImportConfig, ImportNetworkOptions, ImportOptions } from "./import-http";
export type { ImportBlobStore, ImportedFile } from "./imported-blobs";

/** Which files of which Hub model repo; patterns follow huggingface_hub's allow/ignore patterns. */
export interface HubSelection extends FilePatterns {
  /** `org/name` (or a bare canonical name such as `gpt2`). */
  repoId: string;
  /** Branch, tag or commit; default `main`. */
  revision?: string | null;
}

export interface HubFileList {
  repoId: string;
  revision: string;
  /** The commit `revision` pointed at; files are read at this commit, so a push midway changes nothing. */
  commitSha: string;
  /** The selected files, in the Hub's order. */
  files: HubFile[];
}

export interface HubImport extends Omit<HubFileList, "files"> {
  files: ImportedFile[];
}

/** The files of a Hub model repo that the selection picks, with their sizes; downloads nothing. */
export async function listHubFiles(
  config: ImportConfig,
  selection: HubSelection,
  options: ImportOptions = {},
): Promise<HubFileList> {
  const http = await ImportHttp.open(config, options);
  try {
    return await selectFiles(new HubApi(config, http), selection);
  } finally {
    await http.close();
  }
}

/**
 * Streams the selected files of a Hub model repo into the blob store, one at a time, within the
 * upload limits. On any failure the blobs this call created are removed before the error is thrown.
 */
export async function downloadHubFiles(
  config: ImportConfig,
  blobs: ImportBlobStore,
  logger: Logger,
  selection: HubSelection,
  options: ImportOptions = {},
): Promise<HubImport> {
  const http = await ImportHttp.open(config, options);
  const limits = {
    maxFileBytes: config.limits.maxUploadBytes,
    maxTotalBytes: options.maxTotalBytes ?? config.limits.archive.maxUncompressedBytes,
  };
  const imported = new ImportedBlobs(blobs, http, limits, logger, options);
  try {
    const hub = new HubApi(config, http);
    const list = await selectFiles(hub, selection);
    const maxFiles = config.limits.maxFilesPerUpload;
    if (list.files.length > maxFiles) {
      throw badInput(
        `The selection has ${list.files.length} files; one import may bring at most ${maxFiles} ` +
          `(TESSERA_MAX_FILES_PER_UPLOAD). Narrow it with allowPatterns or ignorePatterns.`,
      );
    }
    imported.checkAnnounced(list.files);
    const files: ImportedFile[] = [];
    for (const file of list.files) {
      const fetched = await hub.download(list.repoId, list.commitSha, file.path, list.revision);
      files.push(
        await imported.save(fetched, file.path, { sizeBytes: file.sizeBytes, sha256: file.lfsSha256 }),
      );
    }
    logger.info(
      { repoId: list.repoId, commitSha: list.commitSha, files: files.length, bytes: sum(files) },
      "imported files from the Hugging Face Hub",
    );
    return { ...list, files };
  } catch (error) {
    await imported.discard();
    throw error;
  } finally {
    await http.close();
  }
}

async function selectFiles(hub: HubApi, selection: HubSelection): Promise<HubFileList> {
  const repoId = parseRepoId(selection.repoId);
  const revision = parseRevision(selection.revision);
  const selects = fileMatcher(selection);
  const commitSha = await hub.commitOf(repoId, revision);
  const all = await hub.filesAt(repoId, commitSha, revision);
  if (all.length === 0) throw badInput(`Hugging Face repo "${repoId}" has no files at "${revision}"`);
  const files = all.filter((file) => selects(file.path));
  if (files.length === 0) throw nothingSelected(repoId, revision, selection, all);
  return { repoId, revision, commitSha, files };
}

function nothingSelected(repoId: string, revision: string, patterns: FilePatterns, all: HubFile[]) {
  const shown = (list: readonly string[] | null | undefined) => JSON.stringify(list ?? []);
  const example = all.slice(0, 10).map((file) => file.path);
  const more = all.length > example.length ? `, … (${all.length} in all)` : "";
  return badInput(
    `No file of Hugging Face repo "${repoId}" at "${revision}" matches allowPatterns ${shown(patterns.allowPatterns)} ` +
      `without matching ignorePatterns ${shown(patterns.ignorePatterns)}. The repo has: ${example.join(", ")}${more}`,
    { files: all.slice(0, 50).map((file) => file.path) },
  );
}

function sum(files: readonly ImportedFile[]): number {
  return files.reduce((total, file) => total + file.sizeBytes, 0);
}
