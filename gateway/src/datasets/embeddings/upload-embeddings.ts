import { finished } from "node:stream/promises";
import type { Readable } from "node:stream";
import type { FileUpload } from "graphql-upload-minimal";
import type { RequestContext } from "../../graphql/context";
import { requireViewer } from "../../users/access";
import { versionCommitHook } from "../ingest/create-version";
import type { DatasetUploadResult } from "../datasets.types";
import type { EmbeddingSpec } from "./embedding-spaces";
import type { EmbeddingOptionsInput } from "./embeddings.types";

export type UploadResultWithEmbeddings = DatasetUploadResult & { embeddingsQueued: boolean };

/**
 * Wraps an upload (ZIP, CSV, import): the embedding options are checked before the upload stores
 * anything, and the version's embedding run and its job are written in the transaction that
 * writes the version, so a version never exists without its queued embeddings. `files` are
 * the request's uploads, read to their end (and dropped) when the options are refused, so the
 * client gets the error instead of a reset connection.
 */
export async function uploadWithEmbeddings(
  ctx: RequestContext,
  generateEmbeddings: boolean | null | undefined,
  options: EmbeddingOptionsInput | null | undefined,
  files: ReadonlyArray<Promise<FileUpload> | null | undefined>,
  upload: () => Promise<DatasetUploadResult>,
): Promise<UploadResultWithEmbeddings> {
  let spec: EmbeddingSpec | null = null;
  if (generateEmbeddings !== false) {
    try {
      spec = await ctx.services.embeddings.check(ctx.viewer, options);
    } catch (error) {
      await Promise.all(files.map(discard));
      throw error;
    }
  }
  if (!spec) return { ...(await upload()), embeddingsQueued: false };
  const owner = requireViewer(ctx.viewer);
  const embeddings = ctx.services.embeddings;
  const spaceId = await embeddings.space(spec);
  const threshold = spec.qualityThreshold;
  const result = await versionCommitHook.run(
    (tx, versionId) => embeddings.queueIn(tx, versionId, spaceId, threshold, owner.id),
    upload,
  );
  embeddings.queued();
  return { ...result, embeddingsQueued: true };
}

async function discard(file: Promise<FileUpload> | null | undefined): Promise<void> {
  if (!file) return;
  try {
    const stream = (await file).createReadStream() as unknown as Readable;
    stream.resume();
    await finished(stream);
  } catch {
    // A broken upload has nothing left to read.
  }
}
