import { badInput, payloadTooLarge } from "../../errors";
import { formatBytes } from "../../storage/format-bytes";
import type { ImportTarget } from "./ingest-import";

/** Refuses a selection over the per-upload file count or byte limits, naming the way to narrow it. */
export function checkImportSize(sizes: readonly number[], { config }: ImportTarget): void {
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
