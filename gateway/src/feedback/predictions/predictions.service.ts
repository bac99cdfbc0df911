import { Prisma, type PrismaClient } from "../../generated/prisma/client";
import type { BlobReferences } from "../../blobs/blob-references";
import type { Logger } from "../../logger";
import { notFound } from "../../errors";
import { isUuid } from "../../graphql/ids";
import { connection, pageWindow } from "../../graphql/connection";
import { checkLength, limits } from "../../limits";
import { canSee, isAdmin, requireViewer, type Viewer } from "../../users/access";
import type { PredictionConnection, PredictionFilter } from "./predictions.types";
import { PREDICTION_COLUMNS } from "./prediction-rows";
import {
  canSeePrediction,
  NOT_EXPIRED,
  OWNER_COLUMNS,
  OWNER_JOINS,
  toOwnedPrediction,
  unexpiredPredictions,
  type OwnedPrediction,
  type OwnedPredictionRow,
} from "./owned-predictions";

/** Expired predictions deleted per statement by the retention sweep. */
const SWEEP_BATCH = 500;

/** Reads the prediction log (visibility applied), and deletes what outlived its retention. */
export class PredictionsService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly references: BlobReferences,
    private readonly logger: Logger,
  ) {}

  /** The prediction, or null when it does not exist, expired, or the viewer may not see it. */
  async find(viewer: Viewer | null, id: string): Promise<OwnedPrediction | null> {
    if (!viewer || !isUuid(id)) return null;
    const [prediction] = await unexpiredPredictions(this.prisma, [id]);
    return prediction && canSeePrediction(viewer, prediction) ? prediction : null;
  }

  /** NOT_FOUND (the same for "missing" and "not yours") unless the viewer sees it. */
  async visible(viewer: Viewer | null, id: string): Promise<OwnedPrediction> {
    const prediction = await this.find(requireViewer(viewer), id);
    if (!prediction) throw notFound(`Prediction ${id}`);
    return prediction;
  }

  /**
   * A version's predictions, newest first: what it served (SERVING) for whoever may change the
   * model, and the viewer's own; NOT_FOUND for whoever may not see the model.
   */
  async list(
    viewer: Viewer | null,
    versionId: string,
    filter: PredictionFilter | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<PredictionConnection> {
    const user = requireViewer(viewer);
    const { offset, limit } = pageWindow(first, after);
    const version = isUuid(versionId)
      ? await this.prisma.modelVersion.findUnique({ where: { id: versionId }, include: { model: true } })
      : null;
    if (!version || !canSee(user, version.model)) throw notFound(`Model version ${versionId}`);
    const everyone = isAdmin(user) || user.id === version.model.ownerId;
    const where = Prisma.join(
      [
        Prisma.sql`p."modelVersionId" = ${versionId}::uuid`,
        NOT_EXPIRED,
        everyone
          ? Prisma.sql`(p.source = 'SERVING' OR p."requestedById" = ${user.id}::uuid)`
          : Prisma.sql`p."requestedById" = ${user.id}::uuid`,
        ...filterConditions(filter),
      ],
      " AND ",
    );
    const [rows, [count]] = await Promise.all([
      this.prisma.$queryRaw<OwnedPredictionRow[]>`
        SELECT ${PREDICTION_COLUMNS}, ${OWNER_COLUMNS}
        FROM "Prediction" p ${OWNER_JOINS} LEFT JOIN "Feedback" f ON f."predictionId" = p.id
        WHERE ${where} ORDER BY p."createdAt" DESC, p.id DESC OFFSET ${offset} LIMIT ${limit}`,
      this.prisma.$queryRaw<Array<{ total: bigint }>>`
        SELECT count(*) AS total FROM "Prediction" p LEFT JOIN "Feedback" f ON f."predictionId" = p.id
        WHERE ${where}`,
    ]);
    return connection(rows.map(toOwnedPrediction), offset, Number(count?.total ?? 0));
  }

  /**
   * Deletes predictions past their expiry (their feedback goes with them) and releases the images
   * nothing else references. Safe on every replica at once: each row is deleted by one of them,
   * and releasing a blob is decided under its lock.
   */
  async sweepExpired(now = new Date()): Promise<number> {
    let deleted = 0;
    try {
      for (;;) {
        const rows = await this.prisma.$queryRaw<Array<{ imageSha256: string | null }>>`
          DELETE FROM "Prediction" WHERE id IN (
            SELECT id FROM "Prediction" WHERE "expiresAt" <= ${now} LIMIT ${SWEEP_BATCH}
          ) RETURNING "imageSha256"`;
        deleted += rows.length;
        await this.references.release(rows.flatMap((row) => (row.imageSha256 ? [row.imageSha256] : [])));
        if (rows.length < SWEEP_BATCH) return deleted;
      }
    } catch (error) {
      this.logger.error({ err: error }, "sweeping expired predictions failed; the next sweep tries again");
      return deleted;
    }
  }
}

function filterConditions(filter: PredictionFilter | null | undefined): Prisma.Sql[] {
  if (!filter) return [];
  const conditions: Prisma.Sql[] = [];
  if (filter.hasFeedback != null) {
    conditions.push(filter.hasFeedback ? Prisma.sql`f.id IS NOT NULL` : Prisma.sql`f.id IS NULL`);
  }
  if (filter.isCorrect != null) conditions.push(Prisma.sql`f."isCorrect" = ${filter.isCorrect}`);
  if (filter.since != null) conditions.push(Prisma.sql`p."createdAt" >= ${filter.since}`);
  if (filter.label != null) {
    const label = checkLength("filter.label", filter.label, limits.nameLength);
    // The top label: the label at the position of the highest score (the first, on a tie).
    conditions.push(Prisma.sql`p.labels[(
      SELECT i FROM generate_subscripts(p.scores, 1) AS i ORDER BY p.scores[i] DESC, i LIMIT 1
    )] = ${label}`);
  }
  return conditions;
}
