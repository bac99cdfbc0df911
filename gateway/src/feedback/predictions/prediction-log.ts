import { Readable } from "node:stream";
import type { PrismaClient } from "../../generated/prisma/client";
import type { BlobReferences } from "../../blobs/blob-references";
import type { BlobStore } from "../../storage/blob-store";
import type { PredictionLogConfig } from "../../inference/deployments.types";
import type { LabelScore } from "../../inference/inference.types";
import { isForeignKeyViolation } from "../../users/users.service";

const DAY_MS = 24 * 60 * 60 * 1000;

/** One answer of the tier to log: every class it returned, in any order. */
export interface LoggedClassification {
  modelVersionId: string;
  requestedById: string | null;
  scores: LabelScore[];
  latencyMs: number;
  log: PredictionLogConfig;
  image: Buffer;
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
 * Writes classifications into the prediction log. On the classify path, so it costs one INSERT;
 * keeping an uploaded image adds the blob store write and its Blob row (in the same transaction),
 * while a sample's image is only referenced.
 */
export class PredictionLog {
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
    if (!classification.log.keepImages) return this.insert(row, null);
    if (classification.sample) return this.insertReferencingSample(row, classification.sample.sha256);
    return this.insertWithUpload(row, classification.image);
  }

  private async insert(row: PredictionRow, imageSha256: string | null): Promise<string> {
    const created = await this.prisma.prediction.create({
      data: { ...row, imageSha256 },
      select: { id: true },
    });
    return created.id;
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

  private async insertWithUpload(row: PredictionRow, image: Buffer): Promise<string> {
    const stored = await this.store.put(Readable.from([image]));
    try {
      return await this.prisma.$transaction(async (tx) => {
        await this.references.record(tx, [stored]);
        const created = await tx.prediction.create({
          data: { ...row, imageSha256: stored.sha256 },
          select: { id: true },
        });
        return created.id;
      });
    } catch (error) {
      await this.references.release([stored.sha256]);
      throw error;
    }
  }
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
