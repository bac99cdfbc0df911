import { Prisma, type PrismaClient } from "../../generated/prisma/client";
import type { BlobReferences } from "../../blobs/blob-references";
import type { Logger } from "../../logger";
import { notFound } from "../../errors";
import { isUuid } from "../../graphql/ids";
import { connection, pageWindow } from "../../graphql/connection";
import { checkLength, limits } from "../../limits";
import { canSee, isAdmin, requireViewer, type Viewer } from "../../users/access";
import type { PredictionConnection, PredictionFilter, Prediction } from "./predictions.types";
import { PREDICTION_COLUMNS, toPrediction, type PredictionRow } from "./prediction-rows";

/** Expired predictions deleted per statement by the retention sweep. */
const SWEEP_BATCH = 500;

/** A prediction with what decides who sees it: its caller and its model's owner. */
export interface OwnedPrediction extends Prediction {
  modelOwnerId: string;
}

/**
 * Who sees a prediction: whoever asked for it, and whoever may change the model (its owner, an
 * admin). A member who may see a public model does not see what others asked it.
 */
export function canSeePrediction(viewer: Viewer | null, prediction: OwnedPrediction): boolean {
  if (!viewer) return false;
  return isAdmin(viewer) || viewer.id === prediction.modelOwnerId || viewer.id === prediction.requestedById;
}

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
    const [row] = await this.prisma.$queryRaw<Array<PredictionRow & { modelOwnerId: string }>>`
      SELECT ${PREDICTION_COLUMNS}, m."ownerId"::text AS "modelOwnerId"
      FROM "Prediction" p
      JOIN "ModelVersion" v ON v.id = p."modelVersionId"
      JOIN "Model" m ON m.id = v."modelId"
      WHERE p.id = ${id}::uuid AND (p."expiresAt" IS NULL OR p."expiresAt" > now())`;
    if (!row) return null;
    const prediction = { ...toPrediction(row), modelOwnerId: row.modelOwnerId };
    return canSeePrediction(viewer, prediction) ? prediction : null;
  }

  /** NOT_FOUND (the same for "missing" and "not yours") unless the viewer sees it. */
  async visible(viewer: Viewer | null, id: string): Promise<OwnedPrediction> {
    const prediction = await this.find(requireViewer(viewer), id);
    if (!prediction) throw notFound(`Prediction ${id}`);
    return prediction;
  }

  /**
   * A version's predictions, newest first: all of them for whoever may change the model, the
   * viewer's own for anyone else who may see it; NOT_FOUND for everyone else.
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
        Prisma.sql`(p."expiresAt" IS NULL OR p."expiresAt" > now())`,
        ...(everyone ? [] : [Prisma.sql`p."requestedById" = ${user.id}::uuid`]),
        ...filterConditions(filter),
      ],
      " AND ",
    );
    const [rows, [count]] = await Promise.all([
      this.prisma.$queryRaw<PredictionRow[]>`
        SELECT ${PREDICTION_COLUMNS} FROM "Prediction" p LEFT JOIN "Feedback" f ON f."predictionId" = p.id
        WHERE ${where} ORDER BY p."createdAt" DESC, p.id DESC OFFSET ${offset} LIMIT ${limit}`,
      this.prisma.$queryRaw<Array<{ total: bigint }>>`
        SELECT count(*) AS total FROM "Prediction" p LEFT JOIN "Feedback" f ON f."predictionId" = p.id
        WHERE ${where}`,
    ]);
    return connection(rows.map(toPrediction), offset, Number(count?.total ?? 0));
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
