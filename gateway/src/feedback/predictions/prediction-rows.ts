import { Prisma } from "../../generated/prisma/client";
import { PredictionSource, type Prediction } from "./predictions.types";

/** A Prediction row as raw statements select it (PREDICTION_COLUMNS, table alias `p`). */
export interface PredictionRow {
  id: string;
  modelVersionId: string;
  source: string;
  requestedById: string | null;
  sampleId: string | null;
  imageSha256: string | null;
  labels: string[];
  scores: number[];
  latencyMs: number;
  createdAt: Date;
  expiresAt: Date | null;
}

export const PREDICTION_COLUMNS = Prisma.sql`
  p.id::text AS id, p."modelVersionId"::text AS "modelVersionId", p.source::text AS source,
  p."requestedById"::text AS "requestedById", p."sampleId"::text AS "sampleId", p."imageSha256",
  p.labels, p.scores, p."latencyMs", p."createdAt", p."expiresAt"`;

export function toPrediction(row: PredictionRow): Prediction {
  return {
    id: row.id,
    modelVersionId: row.modelVersionId,
    source: row.source as PredictionSource,
    requestedById: row.requestedById,
    sampleId: row.sampleId,
    imageSha256: row.imageSha256,
    labels: row.labels,
    scores: row.scores.map(Number),
    latencyMs: Number(row.latencyMs),
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  };
}
