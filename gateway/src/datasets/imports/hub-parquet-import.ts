import type { HubApi } from "../../models/hub-api";
import { ImportedBlobs } from "../../models/imported-blobs";
import type { ImportHttp } from "../../models/import-http";
import type { DatasetUploadResult } from "../datasets.types";
import type { LayoutSkip } from "../ingest/archive-layout";
import type { CheckedDatasetInput } from "../ingest/dataset-input";
import type { HubCommit } from "./hub-entries";
import type { HubParquetFile } from "./hub-parquet-layout";
import type { ImportDatasetInput } from "./import-dataset.types";
import { checkImportSize } from "./import-limits";
import { selectFiles } from "./import-selection";
import { ingestImport, type ImportTarget } from "./ingest-import";
import { MemoryEntries } from "./memory-entries";
import { readParquetSamples, type ParquetSample } from "./parquet-samples";

export interface HubParquetSource {
  hub: HubApi;
  http: ImportHttp;
  commit: HubCommit;
  files: readonly HubParquetFile[];
}

/**
 * Imports a Parquet dataset repo: each file is downloaded into the blob store (checked against the
 * listing's size and LFS sha256), its rows read from there, and the selected images ingested as a
 * ZIP's would be. The Parquet blobs are released afterwards, whatever the outcome.
 */
export async function importHubParquet(
  target: ImportTarget,
  ownerId: string,
  dataset: CheckedDatasetInput,
  input: ImportDatasetInput,
  source: HubParquetSource,
  signal?: AbortSignal,
): Promise<DatasetUploadResult> {
  const { config, store, references, logger } = target;
  const { hub, http, commit } = source;
  const downloaded = new ImportedBlobs(
    store,
    http,
    { maxFileBytes: config.limits.maxUploadBytes, maxTotalBytes: config.limits.archive.maxUncompressedBytes },
    logger,
    { signal, releaseBlobs: (hashes) => references.release(hashes) },
  );
  try {
    downloaded.checkAnnounced(source.files.map(({ file }) => file));
    const samples: ParquetSample[] = [];
    const skipped: LayoutSkip[] = [];
    for (const { file, split } of source.files) {
      const fetched = await hub.download(commit.repoId, commit.commitSha, file.path, commit.revision);
      const blob = await downloaded.save(fetched, file.path, {
        sizeBytes: file.sizeBytes,
        sha256: file.lfsSha256,
      });
      const rows = await readParquetSamples(store, blob, file.path, split);
      samples.push(...rows.samples);
      skipped.push(...rows.skipped);
    }
    const selected = selectFiles(samples, input);
    checkImportSize(
      selected.map((sample) => sample.bytes.byteLength),
      target,
    );
    const entries = new MemoryEntries(selected);
    const files = selected.map((sample, index) => ({
      entry: entries.entries[index]!,
      path: sample.path,
      className: sample.className,
      split: sample.split,
      metadata: input.includeMetadata === false ? null : metadataOf(commit, sample),
    }));
    return await ingestImport(target, ownerId, dataset, { source: entries, files, skipped }, signal);
  } finally {
    await downloaded.discard();
  }
}

function metadataOf(
  { repoId, revision, commitSha }: HubCommit,
  sample: ParquetSample,
): Record<string, string> {
  const metadata: Record<string, string> = {
    source: "huggingface",
    repoId,
    revision,
    commitSha,
    path: sample.path,
  };
  if (sample.imagePath) metadata.imagePath = sample.imagePath;
  return metadata;
}
