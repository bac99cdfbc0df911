import { Prisma, type PrismaClient } from "../../generated/prisma/client";
import type { RequestContext } from "../../graphql/context";
import { canSee, isAdmin, type Viewer } from "../../users/access";
import { PREDICTION_COLUMNS, toPrediction, type PredictionRow } from "./prediction-rows";
import { PredictionSource, type Prediction } from "./predictions.types";

interface Owner {
  ownerId: string;
  isPublic: boolean;
}

/** A prediction with what decides who sees it and its image. */
export interface OwnedPrediction extends Prediction {
  model: Owner;
  /** The dataset of the sample it classified; null for an uploaded image (or a sample since deleted). */
  sampleDataset: Owner | null;
}

/** Columns beside PREDICTION_COLUMNS: needs OWNER_JOINS. */
export const OWNER_COLUMNS = Prisma.sql`
  m."ownerId"::text AS "modelOwnerId", m."isPublic" AS "modelIsPublic",
  d."ownerId"::text AS "sampleOwnerId", d."isPublic" AS "sampleIsPublic"`;

export const OWNER_JOINS = Prisma.sql`
  JOIN "ModelVersion" v ON v.id = p."modelVersionId"
  JOIN "Model" m ON m.id = v."modelId"
  LEFT JOIN "Sample" s ON s.id = p."sampleId"
  LEFT JOIN "Dataset" d ON d.id = s."datasetId"`;

export const NOT_EXPIRED = Prisma.sql`(p."expiresAt" IS NULL OR p."expiresAt" > now())`;

export interface OwnedPredictionRow extends PredictionRow {
  modelOwnerId: string;
  modelIsPublic: boolean;
  sampleOwnerId: string | null;
  sampleIsPublic: boolean | null;
}

export function toOwnedPrediction(row: OwnedPredictionRow): OwnedPrediction {
  return {
    ...toPrediction(row),
    model: { ownerId: row.modelOwnerId, isPublic: row.modelIsPublic },
    sampleDataset: row.sampleOwnerId ? { ownerId: row.sampleOwnerId, isPublic: row.sampleIsPublic! } : null,
  };
}

/** The predictions among `ids` that have not expired, whoever may see them (one statement). */
export async function unexpiredPredictions(
  prisma: PrismaClient,
  ids: readonly string[],
): Promise<OwnedPrediction[]> {
  if (ids.length === 0) return [];
  const rows = await prisma.$queryRaw<OwnedPredictionRow[]>`
    SELECT ${PREDICTION_COLUMNS}, ${OWNER_COLUMNS} FROM "Prediction" p ${OWNER_JOINS}
    WHERE p.id = ANY(${[...ids]}::uuid[]) AND ${NOT_EXPIRED}`;
  return rows.map(toOwnedPrediction);
}

/**
 * Who sees a prediction: an admin; whoever asked for it, while they may still see the model; and
 * the model's owner, for what the model served. A LABELING prediction scored a labelling pool's
 * sample, which is its requester's business, not the model owner's. A member who may see a public
 * model does not see what others asked it.
 */
export function canSeePrediction(viewer: Viewer | null, prediction: OwnedPrediction): boolean {
  if (!viewer) return false;
  if (isAdmin(viewer)) return true;
  if (viewer.id === prediction.requestedById) return canSee(viewer, prediction.model);
  return prediction.source === PredictionSource.SERVING && viewer.id === prediction.model.ownerId;
}

/** A sample's image is shown only to who may see its dataset (the model's owner may not). */
export function canSeePredictionImage(viewer: Viewer | null, prediction: OwnedPrediction): boolean {
  if (!prediction.imageSha256) return false;
  if (!prediction.sampleId) return true;
  return prediction.sampleDataset !== null && canSee(viewer, prediction.sampleDataset);
}

/** A prediction by id through the request's loader, when the viewer sees it and it has not expired. */
export async function visiblePrediction(ctx: RequestContext, id: string): Promise<OwnedPrediction | null> {
  const prediction = await ctx.loaders.unexpiredPredictionById.load(id);
  return prediction && canSeePrediction(ctx.viewer, prediction) ? prediction : null;
}
