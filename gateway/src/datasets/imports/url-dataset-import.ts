import { open } from "node:fs/promises";
import { badInput } from "../../errors";
import { openSafeZip } from "../../archives/safe-zip";
import { downloadUrl } from "../../models/url-download";
import type { FileBackedBlobStore } from "../../storage/file-backed";
import type { DatasetUploadResult } from "../datasets.types";
import { planArchiveLayout } from "../ingest/archive-layout";
import type { CheckedDatasetInput } from "../ingest/dataset-input";
import type { ImportDatasetInput } from "./import-dataset.types";
import { selectFiles } from "./import-selection";
import { ingestImport, type ImportTarget } from "./ingest-import";

/**
 * Imports a ZIP of class folders from an http(s) URL, laid out as for uploadDataset. The ZIP is a
 * temporary blob, released when the import ends either way. Whether it is a ZIP is decided by its
 * first bytes, not by what the server calls it.
 */
export async function importFromUrl(
  target: ImportTarget & { store: FileBackedBlobStore },
  ownerId: string,
  dataset: CheckedDatasetInput,
  input: ImportDatasetInput,
  signal?: AbortSignal,
): Promise<DatasetUploadResult> {
  if (!input.url?.trim()) {
    throw badInput("A URL import needs `url`: an http(s) URL of a ZIP of class folders", {
      field: "input.url",
    });
  }
  const { store, references, config, logger } = target;
  const download = await downloadUrl(config, store, logger, input.url, {
    signal,
    releaseBlobs: (hashes) => references.release(hashes),
  });
  try {
    return await store.withLocalFile(download.sha256, async (filePath) => {
      await checkIsZip(filePath, download.path, download.contentType, download.sourceUrl);
      const zip = await openSafeZip(filePath, config.limits.archive);
      try {
        const layout = planArchiveLayout(zip.entries);
        const selected = selectFiles(layout.files, input);
        const files = selected.map((file) => ({
          ...file,
          split: null,
          metadata:
            input.includeMetadata === false
              ? null
              : { source: "url", url: download.sourceUrl, path: file.path },
        }));
        return await ingestImport(
          target,
          ownerId,
          dataset,
          { source: zip, files, skipped: layout.skipped },
          signal,
        );
      } finally {
        zip.close();
      }
    });
  } finally {
    await references.release([download.sha256]);
  }
}

async function checkIsZip(filePath: string, name: string, contentType: string, url: string): Promise<void> {
  const head = Buffer.alloc(4);
  const handle = await open(filePath, "r");
  try {
    await handle.read(head, 0, 4, 0);
  } finally {
    await handle.close();
  }
  if (head.toString("hex") === "504b0304" || head.toString("hex") === "504b0506") return;
  if (/\.csv$/i.test(name) || /csv/i.test(contentType)) {
    throw badInput(
      `${url} is a CSV; URL imports take a ZIP of class folders. A CSV whose paths are URLs is not ` +
        `fetched: upload the CSV with its archive through uploadDatasetCsv instead`,
      { field: "input.url" },
    );
  }
  throw badInput(
    `${url} is not a ZIP archive (it starts with bytes ${head.toString("hex")}); expected a ZIP of class folders`,
    {
      field: "input.url",
    },
  );
}
