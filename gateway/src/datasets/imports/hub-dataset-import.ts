import { badInput, payloadTooLarge } from "../../errors";
import { HubApi } from "../../models/hub-api";
import { parseRepoId, parseRevision } from "../../models/hub-names";
import { ImportHttp } from "../../models/import-http";
import { formatBytes } from "../../storage/format-bytes";
import type { DatasetUploadResult } from "../datasets.types";
import type { CheckedDatasetInput } from "../ingest/dataset-input";
import { HubEntries } from "./hub-entries";
import { planHubImageFolder } from "./hub-image-folder";
import type { HuggingFaceImportInput, ImportDatasetInput } from "./import-dataset.types";
import { selectFiles } from "./import-selection";
import { ingestImport, type ImportTarget } from "./ingest-import";

/**
 * Imports an image-folder dataset repo from the Hub at one commit (the revision is resolved first,
 * so a push midway changes nothing). Only the selected images are downloaded, each straight into
 * decoding; nothing but the accepted images' blobs is ever stored.
 */
export async function importFromHub(
  target: ImportTarget,
  ownerId: string,
  dataset: CheckedDatasetInput,
  input: ImportDatasetInput,
  signal?: AbortSignal,
): Promise<DatasetUploadResult> {
  const source = requireHubInput(input.huggingFace);
  const repoId = parseRepoId(source.repoId);
  const revision = parseRevision(source.revision);
  const { config } = target;
  const http = await ImportHttp.open(config, { signal });
  try {
    const hub = new HubApi(config, http, "dataset");
    const commitSha = await hub.commitOf(repoId, revision);
    const all = await hub.filesAt(repoId, commitSha, revision);
    const layout = planHubImageFolder(
      repoId,
      all,
      source.config?.trim() || null,
      source.split?.trim() || null,
    );
    const selected = selectFiles(layout.files, input);
    checkSize(
      selected.map((file) => file.file.sizeBytes),
      target,
    );
    const entries = new HubEntries(
      hub,
      http,
      { repoId, revision, commitSha },
      selected.map((f) => f.file),
    );
    const files = selected.map((file, index) => ({
      entry: entries.entries[index]!,
      path: file.path,
      className: file.className,
      split: file.split,
      metadata:
        input.includeMetadata === false
          ? null
          : { source: "huggingface", repoId, revision, commitSha, path: file.path },
    }));
    return await ingestImport(
      target,
      ownerId,
      dataset,
      { source: entries, files, skipped: layout.skipped },
      signal,
    );
  } finally {
    await http.close();
  }
}

function requireHubInput(input: HuggingFaceImportInput | null | undefined): HuggingFaceImportInput {
  if (!input?.repoId?.trim()) {
    throw badInput('A HUGGINGFACE import needs `huggingFace: { repoId: "org/name" }`', {
      field: "input.huggingFace",
    });
  }
  return input;
}

function checkSize(sizes: readonly number[], { config }: ImportTarget): void {
  const maxFiles = config.limits.maxFilesPerUpload;
  if (sizes.length > maxFiles) {
    throw badInput(
      `The import selects ${sizes.length} images; one import may bring at most ${maxFiles} ` +
        `(TESSERA_MAX_FILES_PER_UPLOAD). Narrow it with selectedClasses, maxSamplesPerClass or split.`,
    );
  }
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const maxBytes = config.limits.archive.maxUncompressedBytes;
  if (total > maxBytes) {
    throw payloadTooLarge(
      `The selected images add up to ${formatBytes(total)}; one import may bring at most ${formatBytes(maxBytes)}. ` +
        `Narrow it with selectedClasses, maxSamplesPerClass or split.`,
    );
  }
}
