import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../../generated/prisma/client";
import type { BlobReferences, StoredBlob } from "../../blobs/blob-references";
import type { BlobStore } from "../../storage/blob-store";
import { putBytes } from "../../storage/put-bytes";
import type { PredictionLogConfig } from "../../inference/deployments.types";
import type { LabelScore } from "../../inference/inference.types";
import { isForeignKeyViolation } from "../../users/users.service";
import { GroupCommit } from "../../group-commit";
import { insertPredictionRows } from "./prediction-rows";

/** Predictions committed in one transaction at most (8 KiB images: a few hundred KiB of rows). */
const MAX_BATCH = 64;

const DAY_MS = 24 * 60 * 60 * 1000;

/** One answer of the tier to log: every class it returned, in any order. */
export interface LoggedClassification {
  modelVersionId: string;
  requestedById: string | null;
  scores: LabelScore[];
  latencyMs: number;
  log: PredictionLogConfig;
  image: Buffer;
  /** sha256 (hex) of `image`, as the classify path computed it for its cache key. */
  imageSha256: string;
  /** Set when the image was a dataset sample: its bytes are stored already. */
  sample: { id: string; sha256: string } | null;
}

/** A probability vector in the model's output order. */
export interface OutputVector {
  labels: string[];
  scores: number[];
}

export function outputOrder(scores: LabelScore[]): OutputVector {
  const ordered = [...scores].sort((a, b) => a.index - b.index);
  return { labels: ordered.map((s) => s.label), scores: ordered.map((s) => s.score) };
}

/**
 * Writes classifications into the prediction log. On the classify path, so concurrent requests'
 * rows are committed together (GroupCommit: one statement, or one transaction with their Blob
 * rows when uploaded images are kept) instead of one transaction each: on the embedded database,
 * which runs one transaction at a time, a transaction per request cost ~19 ms of CPU per request
 * and, under 8 clients on a loaded machine, waits past Prisma's 2 s transaction start limit
 * (P2028, answered INTERNAL_SERVER_ERROR). A sample's image is only referenced.
 */
export class PredictionLog {
  private readonly inserts = new GroupCommit<Batched, string>((items) => this.insertMany(items), MAX_BATCH);

  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: BlobStore,
    private readonly references: BlobReferences,
  ) {}

  /** The new prediction's id. */
  async record(classification: LoggedClassification): Promise<string> {
    const { labels, scores } = outputOrder(classification.scores);
    const row = {
      modelVersionId: classification.modelVersionId,
      requestedById: classification.requestedById,
      sampleId: classification.sample?.id ?? null,
      labels,
      scores,
      latencyMs: classification.latencyMs,
      expiresAt: new Date(Date.now() + classification.log.retentionDays * DAY_MS),
    };
    if (!classification.log.keepImages) return this.inserts.add({ row, image: null });
    if (classification.sample) return this.insertReferencingSample(row, classification.sample.sha256);
    // Stored before joining a batch: the writes and fsyncs of concurrent requests overlap, and a
    // batch holds the database only for its statements. An image stored already (sent again) is
    // not written again: its hash and length are known.
    const image = await putBytes(this.store, classification.image, {}, classification.imageSha256);
    return this.inserts.add({ row, image });
  }

  private async insert(row: PredictionRow, imageSha256: string | null): Promise<string> {
    const id = randomUUID();
    await insertPredictionRows(this.prisma, [{ ...row, id, imageSha256 }]);
    return id;
  }

  /**
   * The sample's Blob row exists while the sample does. Should the sample be deleted (and its blob
   * released) between the read and this insert, the prediction is kept without its image.
   */
  private async insertReferencingSample(row: PredictionRow, sha256: string): Promise<string> {
    try {
      return await this.insert(row, sha256);
    } catch (error) {
      if (!isForeignKeyViolation(error)) throw error;
      return this.insert(row, null);
    }
  }

  /**
   * Predictions of concurrent requests in one transaction: the Blob rows of their images recorded
   * (under their locks) and every row inserted with ids chosen here. When a lone prediction
   * fails, its image is released; a batch that fails is retried item by item (GroupCommit), so
   * its images are kept for those retries.
   */
  private async insertMany(items: Batched[]): Promise<string[]> {
    const ids = items.map(() => randomUUID());
    const data = items.map(({ row, image }, i) => ({
      ...row,
      id: ids[i]!,
      imageSha256: image?.sha256 ?? null,
    }));
    const images = items.flatMap(({ image }) => (image ? [image] : []));
    try {
      if (images.length === 0) {
        await insertPredictionRows(this.prisma, data);
        return ids;
      }
      await this.prisma.$transaction(async (tx) => {
        await this.references.record(tx, images);
        await insertPredictionRows(tx, data);
      });
      return ids;
    } catch (error) {
      if (items.length === 1) await this.references.release(images.map((blob) => blob.sha256));
      throw error;
    }
  }
}

/** A prediction waiting for its batch: its row, and its image once stored (null: none kept). */
interface Batched {
  row: PredictionRow;
  image: StoredBlob | null;
}

type PredictionRow = {
  modelVersionId: string;
  requestedById: string | null;
  sampleId: string | null;
  labels: string[];
  scores: number[];
  latencyMs: number;
  expiresAt: Date;
};
