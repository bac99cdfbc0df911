import { Readable } from "node:stream";
import type { PrismaClient } from "../generated/prisma/client";
import type { BlobStore } from "../storage/blob-store";
import type { BlobReferences } from "../blobs/blob-references";
import type { Logger } from "../logger";

export const artifactPath = (id: string) => `/files/artifacts/${id}`;

const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

/**
 * Files an inference produced (depth PNGs, masks): stored like any blob, listed with an expiry, and
 * swept when they expire so the store does not grow with every request.
 */
export class InferenceArtifacts {
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: BlobStore,
    private readonly references: BlobReferences,
    private readonly logger: Logger,
    private readonly ttlMs = 24 * 60 * 60 * 1000,
  ) {}

  async save(
    ownerId: string | null,
    fileName: string,
    contentType: string,
    bytes: Uint8Array,
  ): Promise<string> {
    const stored = await this.store.put(
      Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]),
    );
    try {
      const row = await this.prisma.$transaction(async (tx) => {
        await this.references.record(tx, [stored]);
        return tx.inferenceArtifact.create({
          data: {
            ownerId,
            sha256: stored.sha256,
            contentType,
            fileName,
            expiresAt: new Date(Date.now() + this.ttlMs),
          },
        });
      });
      return row.id;
    } catch (error) {
      await this.references.release([stored.sha256]);
      throw error;
    }
  }

  find(id: string) {
    return this.prisma.inferenceArtifact.findFirst({ where: { id, expiresAt: { gt: new Date() } } });
  }

  startSweeping(): void {
    void this.sweep();
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  stopSweeping(): void {
    clearInterval(this.sweeper);
  }

  async sweep(now = new Date()): Promise<number> {
    try {
      const expired = await this.prisma.inferenceArtifact.findMany({ where: { expiresAt: { lte: now } } });
      if (expired.length === 0) return 0;
      await this.prisma.inferenceArtifact.deleteMany({ where: { id: { in: expired.map((a) => a.id) } } });
      await this.references.release(expired.map((a) => a.sha256));
      return expired.length;
    } catch (error) {
      this.logger.error({ err: error }, "sweeping expired inference artifacts failed");
      return 0;
    }
  }
}
