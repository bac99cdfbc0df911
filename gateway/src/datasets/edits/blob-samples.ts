import { buffer } from "node:stream/consumers";
import type { Prisma, PrismaClient } from "../../generated/prisma/client";
import { badInput } from "../../errors";
import type { BlobStore } from "../../storage/blob-store";
import { analyzeImage, type ImageAnalysis } from "../images/analyze-image";
import type { DatasetImageFormat } from "../images/image-signature";
import type { DatasetSplit } from "../csv/csv-mapping";
import { datasetImageMaxPixels } from "../ingest/class-folder-archive";
import type { VersionImage } from "../ingest/create-version";
import { unlabeledFolder } from "../pool/unlabeled-pool";

type Db = PrismaClient | Prisma.TransactionClient;

/** An image already in the blob store (a logged prediction's, say) that joins a version as a new sample. */
export interface BlobSampleInput {
  sha256: string;
  /** Its class; null puts it in the version's unlabeled pool. */
  className: string | null;
  /** The sample's path (exports name its file after it); default `<first 16 hex digits of sha256>.<format>`. */
  originalPath?: string | null;
  split?: DatasetSplit | null;
  metadata?: Record<string, string> | null;
}

const extensions: Record<DatasetImageFormat, string> = { jpeg: "jpg", png: "png", webp: "webp", gif: "gif" };

/**
 * The measurements a stored image needs to become a sample. Bytes some sample already holds were
 * measured at its ingestion (the measures depend on the bytes alone), so only images new to the
 * datasets are read and decoded, one at a time, with the limits uploads have. Any image that is
 * not stored or not a dataset image refuses the whole call with BAD_USER_INPUT.
 */
export async function blobVersionImages(
  db: Db,
  store: BlobStore,
  inputs: readonly BlobSampleInput[],
): Promise<VersionImage[]> {
  const hashes = [...new Set(inputs.map((input) => input.sha256))];
  const known = await db.sample.findMany({
    where: { sha256: { in: hashes } },
    distinct: ["sha256"],
  });
  const measured = new Map<string, { image: ImageAnalysis; sizeBytes: number }>(
    known.map((row) => [
      row.sha256,
      {
        sizeBytes: Number(row.sizeBytes),
        image: {
          format: row.format as DatasetImageFormat,
          width: row.width,
          height: row.height,
          sha256: row.sha256,
          perceptualHash: row.perceptualHash,
          blurScore: row.blurScore,
          exposure: {
            meanLuma: row.meanLuma,
            clippedDarkFraction: row.clippedDarkFraction,
            clippedBrightFraction: row.clippedBrightFraction,
          },
          animated: row.frameCount > 1,
          frameCount: row.frameCount,
        },
      },
    ]),
  );
  for (const sha256 of hashes) {
    if (!measured.has(sha256)) measured.set(sha256, await measure(store, sha256));
  }
  return inputs.map((input) => {
    const { image, sizeBytes } = measured.get(input.sha256)!;
    return {
      path: input.originalPath?.trim() || `${input.sha256.slice(0, 16)}.${extensions[image.format]}`,
      className: input.className ?? unlabeledFolder,
      sizeBytes,
      image,
      split: input.split ?? null,
      metadata: input.metadata ?? null,
    };
  });
}

async function measure(
  store: BlobStore,
  sha256: string,
): Promise<{ image: ImageAnalysis; sizeBytes: number }> {
  const stat = /^[0-9a-f]{64}$/.test(sha256) ? await store.stat(sha256) : null;
  if (!stat) throw badInput(`No stored image has the sha256 ${sha256}`, { sha256 });
  const bytes = await buffer(await store.openRead(sha256));
  const result = await analyzeImage(bytes, { maxPixels: datasetImageMaxPixels });
  if (!result.ok) {
    throw badInput(`The stored file ${sha256} cannot be a dataset image: ${result.rejection.message}`, {
      sha256,
    });
  }
  return { image: result.image, sizeBytes: bytes.length };
}
