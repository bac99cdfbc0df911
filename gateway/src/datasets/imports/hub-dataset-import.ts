import { badInput } from "../../errors";
import { HubApi } from "../../models/hub-api";
import { parseRepoId, parseRevision } from "../../models/hub-names";
import { ImportHttp } from "../../models/import-http";
import type { DatasetUploadResult } from "../datasets.types";
import type { CheckedDatasetInput } from "../ingest/dataset-input";
import { HubEntries } from "./hub-entries";
import { planHubImageFolder } from "./hub-image-folder";
import { importHubParquet } from "./hub-parquet-import";
import { isParquetRepo, planHubParquet } from "./hub-parquet-layout";
import type { HuggingFaceImportInput, ImportDatasetInput } from "./import-dataset.types";
import { checkImportSize } from "./import-limits";
import { selectFiles } from "./import-selection";
import { ingestImport, type ImportTarget } from "./ingest-import";

/**
 * Imports an image-folder or Parquet dataset repo from the Hub at one commit (the revision is resolved first,
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
    const subset = source.config?.trim() || null;
    const split = source.split?.trim() || null;
    if (isParquetRepo(all, subset)) {
      const files = planHubParquet(repoId, all, subset, split);
      const commit = { repoId, revision, commitSha };
      return await importHubParquet(target, ownerId, dataset, input, { hub, http, commit, files }, signal);
    }
    const layout = planHubImageFolder(repoId, all, subset, split);
    const selected = selectFiles(layout.files, input);
    checkImportSize(
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
