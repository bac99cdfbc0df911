import DataLoader from "dataloader";
import type { PrismaClient, FeedbackAdjustment as AdjustmentRow } from "../../generated/prisma/client";
import type { Sample } from "../../datasets/datasets.types";
import { toLabelledSample, type LabelledSampleColumns } from "../../datasets/sample-rows";
import { byKey, uuidList } from "../../graphql/loader-results";
import type { Feedback, FeedbackSummary } from "./predictions.types";
import { unexpiredPredictions, type OwnedPrediction } from "./owned-predictions";

/** A sample as a prediction shows it: as its newest labelled dataset version holds it. */
export interface PredictionSample extends Sample {
  owner: { ownerId: string; isPublic: boolean };
}

/** The summary's visibility: what the model served for its owner and admins, else one's own. */
export interface SummaryKey {
  versionId: string;
  viewerId: string | null;
  admin: boolean;
}

/** One statement per relation per request, whatever the size of the page of predictions. */
export function createPredictionLoaders(prisma: PrismaClient) {
  return {
    /** Visibility is the caller's: see visiblePrediction. */
    unexpiredPredictionById: new DataLoader<string, OwnedPrediction | null>(async (ids) =>
      byKey(ids, await unexpiredPredictions(prisma, ids), (p) => p.id),
    ),
    feedbackByPredictionId: new DataLoader<string, Feedback | null>(async (ids) => {
      const rows = await prisma.feedback.findMany({ where: { predictionId: { in: [...ids] } } });
      return byKey(ids, rows as Feedback[], (f) => f.predictionId);
    }),
    adjustmentByVersionId: new DataLoader<string, AdjustmentRow | null>(async (ids) => {
      const rows = await prisma.feedbackAdjustment.findMany({ where: { modelVersionId: { in: [...ids] } } });
      return byKey(ids, rows, (row) => row.modelVersionId);
    }),
    predictionSampleById: new DataLoader<string, PredictionSample | null>(async (ids) => {
      const rows = await prisma.$queryRaw<SampleRow[]>`
        SELECT DISTINCT ON (s.id) s.id::text AS id, s."datasetId"::text AS "datasetId",
               vs."versionId"::text AS "versionId", s.sha256, s.format, s.width, s.height,
               s."originalPath", vs.split, vs.metadata, c.id::text AS "classId", c.name AS "className",
               d."ownerId"::text AS "ownerId", d."isPublic"
        FROM "Sample" s
        JOIN "Dataset" d ON d.id = s."datasetId"
        JOIN "VersionSample" vs ON vs."sampleId" = s.id
        JOIN "DatasetVersion" dv ON dv.id = vs."versionId"
        JOIN "DatasetClass" c ON c.id = vs."classId"
        WHERE s.id IN (${uuidList(ids)})
        ORDER BY s.id, dv.number DESC`;
      return byKey(ids, rows.map(toPredictionSample), (s) => s.id);
    }),
    feedbackSummary: new DataLoader<SummaryKey, FeedbackSummary, string>(
      async (keys) => {
        const { viewerId, admin } = keys[0]!;
        const ids = keys.map((key) => key.versionId);
        const rows = await prisma.$queryRaw<
          Array<{ versionId: string } & Record<keyof FeedbackSummary, bigint>>
        >`
          SELECT p."modelVersionId"::text AS "versionId", count(*) AS predictions,
                 count(f.id) AS "withFeedback",
                 count(*) FILTER (WHERE f."isCorrect") AS correct,
                 count(*) FILTER (WHERE NOT f."isCorrect") AS wrong
          FROM "Prediction" p
          JOIN "ModelVersion" v ON v.id = p."modelVersionId"
          JOIN "Model" m ON m.id = v."modelId"
          LEFT JOIN "Feedback" f ON f."predictionId" = p.id
          WHERE p."modelVersionId" IN (${uuidList(ids)}) AND p.source = 'SERVING'
            AND (p."expiresAt" IS NULL OR p."expiresAt" > now())
            AND (${admin} OR m."ownerId" = ${viewerId}::uuid OR p."requestedById" = ${viewerId}::uuid)
          GROUP BY p."modelVersionId"`;
        return byKey(ids, rows, (row) => row.versionId).map((row) => ({
          predictions: Number(row?.predictions ?? 0),
          withFeedback: Number(row?.withFeedback ?? 0),
          correct: Number(row?.correct ?? 0),
          wrong: Number(row?.wrong ?? 0),
        }));
      },
      // One viewer per request: the batch shares its visibility.
      { cacheKeyFn: (key) => `${key.versionId}:${key.viewerId}:${key.admin}` },
    ),
  };
}

interface SampleRow extends LabelledSampleColumns {
  ownerId: string;
  isPublic: boolean;
}

function toPredictionSample(row: SampleRow): PredictionSample {
  return { ...toLabelledSample(row), owner: { ownerId: row.ownerId, isPublic: row.isPublic } };
}
