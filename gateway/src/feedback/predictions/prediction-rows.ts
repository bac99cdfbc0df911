import { Prisma, type PrismaClient } from "../../generated/prisma/client";
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

/** A prediction to insert, its id chosen by the caller; its source SERVING when absent. */
export type NewPredictionRow = Omit<PredictionRow, "source" | "createdAt"> & { source?: PredictionSource };

/**
 * Inserts predictions in one statement, their rows sent as one JSON parameter. Not Prisma's
 * `createMany`: the label and score arrays are literals in the query it compiles, so no two
 * predictions share a cached plan and every insert cost a compilation (~0.7 ms of the gateway's
 * CPU per classify request). Scores travel as text ("NaN" and "Infinity" included), which
 * PostgreSQL reads back to the same doubles.
 */
export function insertPredictionRows(
  db: Pick<PrismaClient, "$executeRaw">,
  rows: readonly NewPredictionRow[],
): Promise<number> {
  const json = JSON.stringify(
    rows.map((row) => ({
      ...row,
      source: row.source ?? PredictionSource.SERVING,
      labels: row.labels.map(wellFormed),
      scores: row.scores.map(scoreText),
      expiresAt: row.expiresAt?.toISOString() ?? null,
    })),
  );
  return db.$executeRaw`
    INSERT INTO "Prediction" ("id", "modelVersionId", "source", "requestedById", "sampleId",
      "imageSha256", "labels", "scores", "latencyMs", "expiresAt")
    SELECT r."id", r."modelVersionId", r."source"::"PredictionSource", r."requestedById", r."sampleId",
      r."imageSha256", r."labels", r."scores", r."latencyMs", r."expiresAt"
    FROM json_to_recordset(${json}::json) AS r("id" uuid, "modelVersionId" uuid, "source" text,
      "requestedById" uuid, "sampleId" uuid, "imageSha256" text, "labels" text[],
      "scores" double precision[], "latencyMs" double precision, "expiresAt" timestamptz)`;
}

/**
 * The label as the driver sends a parameter: a lone surrogate (which PostgreSQL's JSON refuses)
 * becomes U+FFFD, as it does in the UTF-8 of a bound text parameter.
 */
function wellFormed(label: string): string {
  return label.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

/** JavaScript's shortest round-trip text, which PostgreSQL reads to the same double; -0 keeps its sign. */
function scoreText(score: number): string {
  return Object.is(score, -0) ? "-0" : String(score);
}

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
