import { buffer } from "node:stream/consumers";
import type { Prisma, PrismaClient } from "../generated/prisma/client";
import type { GatewayConfig } from "../config";
import { badInput, forbidden, notFound } from "../errors";
import type { BlobStore } from "../storage/blob-store";
import type { BlobReferences } from "../blobs/blob-references";
import { ingestFiles, type IncomingFile, type IngestedFile } from "../blobs/ingest";
import { analyzeImage, type ImageAnalysis } from "../datasets/images/analyze-image";
import { datasetImageMaxPixels } from "../datasets/ingest/class-folder-archive";
import { isUuid } from "../graphql/ids";
import { checkLength, limits } from "../limits";
import { isAdmin, requireViewer, type Viewer } from "../users/access";
import { checkEmail, checkInstruction, storedEmail, storedSessionId } from "./training-pair-input";
import type { TrainingPairStats } from "./training-pairs.types";
import { metadataOf, pairSides, type PairSide, type TrainingPairMetadata } from "./training-pair-metadata";

export interface StoreTrainingPairInput {
  original: IncomingFile;
  transformed: IncomingFile;
  instruction: string;
  userEmail?: string | null;
  sessionId?: string | null;
}

/**
 * Before/after pairs a product collects for training. They are team data: an admin sees and exports
 * every pair, a member the pairs they stored themselves; signing in is required for everything
 * because the product backend that sends pairs holds an API token.
 */
export class TrainingPairsService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: BlobStore,
    private readonly references: BlobReferences,
    private readonly config: GatewayConfig,
  ) {}

  async storePair(viewer: Viewer | null, input: StoreTrainingPairInput, signal?: AbortSignal) {
    const user = requireViewer(viewer);
    const instruction = checkInstruction(input.instruction);
    const userEmail = storedEmail(input.userEmail);
    const sessionId = storedSessionId(input.sessionId);
    const ingested = await ingestFiles(this.store, this.references, [input.original, input.transformed], {
      maxBytes: this.config.limits.maxImageBytes,
      checkPath: (path) => path,
      signal,
    });
    try {
      const metadata = await this.measure(ingested);
      return await this.prisma.$transaction(async (tx) => {
        await this.references.record(tx, ingested);
        return tx.trainingPair.create({
          data: {
            sessionId,
            instruction,
            userEmail,
            createdById: user.id,
            originalSha256: ingested[0]!.sha256,
            transformedSha256: ingested[1]!.sha256,
            metadata: metadata as unknown as Prisma.InputJsonValue,
          },
        });
      });
    } catch (error) {
      await this.references.release(ingested.map((file) => file.sha256));
      throw error;
    }
  }

  async stats(viewer: Viewer | null): Promise<TrainingPairStats> {
    const createdById = scopeOf(requireViewer(viewer));
    const rows = await this.prisma.$queryRaw<
      Array<{ sessions: number; pairs: number; instructions: number; latest: Date | null }>
    >`
      SELECT count(DISTINCT "sessionId")::int AS sessions,
             count(*)::int AS pairs,
             count(DISTINCT "instruction")::int AS instructions,
             max("createdAt") AS latest
        FROM "TrainingPair"
       WHERE ${createdById}::uuid IS NULL OR "createdById" = ${createdById}::uuid`;
    const row = rows[0] ?? { sessions: 0, pairs: 0, instructions: 0, latest: null };
    return {
      sessions: row.sessions,
      images: row.pairs * 2,
      pairs: row.pairs,
      uniqueInstructions: row.instructions,
      latest: row.latest,
    };
  }

  /** Newest first; `instruction` matches any part of the instruction, ignoring case. */
  async list(viewer: Viewer | null, options: { instruction?: string | null; offset: number; limit: number }) {
    if (options.instruction) {
      checkLength("instruction", options.instruction, limits.trainingPairs.instructionLength);
    }
    const where = visibleWhere(requireViewer(viewer), options.instruction);
    const [pairs, totalCount] = await Promise.all([
      this.prisma.trainingPair.findMany({
        where,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        skip: options.offset,
        take: options.limit,
      }),
      this.prisma.trainingPair.count({ where }),
    ]);
    return { pairs, totalCount };
  }

  /** One image of a pair the viewer may see; NOT_FOUND otherwise, so ids of others' pairs do not leak. */
  async visibleImage(viewer: Viewer | null, id: string, side: PairSide) {
    const user = requireViewer(viewer);
    const pair = isUuid(id)
      ? await this.prisma.trainingPair.findUnique({
          where: { id },
          include: { original: true, transformed: true },
        })
      : null;
    if (!pair || (!isAdmin(user) && pair.createdById !== user.id)) throw notFound(`Training pair ${id}`);
    const blob = pair[side];
    const format = metadataOf(pair.metadata)?.[side].format ?? null;
    return { sha256: blob.sha256, sizeBytes: Number(blob.sizeBytes), format };
  }

  /** Every pair the viewer may see with its image sizes, oldest first: what the export holds. */
  exportable(viewer: Viewer | null) {
    return this.prisma.trainingPair.findMany({
      where: visibleWhere(requireViewer(viewer)),
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      include: { original: { select: { sizeBytes: true } }, transformed: { select: { sizeBytes: true } } },
    });
  }

  /**
   * For privacy requests, so admins only: a member could otherwise erase pairs other people stored.
   * Deletes every pair stored under the address and the images no other row still uses.
   */
  async deleteByEmail(viewer: Viewer | null, email: string): Promise<number> {
    const user = requireViewer(viewer);
    if (!isAdmin(user)) throw forbidden("Only an admin can delete training pairs by email");
    const userEmail = checkEmail(email, "email");
    const deleted = await this.prisma.$transaction(async (tx) => {
      const pairs = await tx.trainingPair.findMany({
        where: { userEmail },
        select: { originalSha256: true, transformedSha256: true },
      });
      await tx.trainingPair.deleteMany({ where: { userEmail } });
      return pairs;
    });
    await this.references.release(deleted.flatMap((p) => [p.originalSha256, p.transformedSha256]));
    return deleted.length;
  }

  private async measure(ingested: IngestedFile[]): Promise<TrainingPairMetadata> {
    const measured: Partial<TrainingPairMetadata> = {};
    for (const [index, side] of pairSides.entries()) {
      const file = ingested[index]!;
      const image = await this.analyze(file, side);
      measured[side] = {
        format: image.format,
        width: image.width,
        height: image.height,
        sizeBytes: file.sizeBytes,
      };
    }
    return measured as TrainingPairMetadata;
  }

  private async analyze(file: IngestedFile, side: PairSide): Promise<ImageAnalysis> {
    const bytes = await buffer(await this.store.openRead(file.sha256));
    const result = await analyzeImage(bytes, { maxPixels: datasetImageMaxPixels });
    if (!result.ok) {
      throw badInput(`The ${side} image is not usable: ${result.rejection.message}`, {
        field: side,
        reason: result.rejection.reason,
      });
    }
    return result.image;
  }
}

/** null for an admin (every pair), else the member's own id. */
function scopeOf(viewer: Viewer): string | null {
  return isAdmin(viewer) ? null : viewer.id;
}

function visibleWhere(viewer: Viewer, instruction?: string | null): Prisma.TrainingPairWhereInput {
  const createdById = scopeOf(viewer);
  return {
    ...(createdById ? { createdById } : {}),
    ...(instruction ? { instruction: { contains: instruction, mode: "insensitive" } } : {}),
  };
}
