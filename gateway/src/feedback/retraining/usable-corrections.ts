import { Prisma, type PrismaClient } from "../../generated/prisma/client";
import type { Viewer } from "../../users/access";
import { trustedFeedbackCondition } from "../predictions/trusted-feedback";
import type { CorrectionCandidate } from "./correction-plan";

/**
 * The feedback of a model a run may use, as a FROM … WHERE clause (Feedback f, Prediction p,
 * Sample s). It gives a correct label, no run took it or left it out yet, and:
 *  - it is trusted: written by someone who may change the model (its owner or an admin), since a
 *    correction becomes training data, and whoever may only call a model must not steer it;
 *  - its image is one the policy's owner may use: a sample of a dataset they can see (the image a
 *    prediction kept of a sample is that sample's), or an upload the prediction kept. A
 *    prediction without either (its deployment kept no images, or the image expired) is out.
 */
function usableFeedback(modelId: string, owner: Viewer): Prisma.Sql {
  return Prisma.sql`
    FROM "Feedback" f
    JOIN "Prediction" p ON p.id = f."predictionId"
    JOIN "ModelVersion" v ON v.id = p."modelVersionId"
    JOIN "Model" m ON m.id = v."modelId"
    LEFT JOIN "Sample" s ON s.id = p."sampleId"
    LEFT JOIN "Dataset" d ON d.id = s."datasetId"
    WHERE v."modelId" = ${modelId}::uuid
      AND f."correctLabel" IS NOT NULL AND f."usedInVersionId" IS NULL
      AND ${trustedFeedbackCondition(Prisma.sql`m."ownerId"`)}
      AND CASE WHEN p."sampleId" IS NULL THEN p."imageSha256" IS NOT NULL
               ELSE ${owner.role === "ADMIN"}::boolean OR d."isPublic" OR d."ownerId" = ${owner.id}::uuid END
      AND NOT EXISTS (
        SELECT 1 FROM "RetrainingRun" r JOIN "RetrainingPolicy" rp ON rp.id = r."policyId"
        WHERE rp."modelId" = v."modelId"
          AND r.decision -> 'corrections' -> 'skipped' @> jsonb_build_array(jsonb_build_object('feedbackId', f.id::text)))`;
}

/**
 * Usable corrections proper: feedback whose label differs from the prediction's top label (stored
 * as isCorrect false). Confirmations add no new knowledge of an error, so they do not count
 * towards the feedbackCount trigger, though a run still takes them in.
 */
export async function countCorrections(
  prisma: PrismaClient,
  modelId: string,
  owner: Viewer,
): Promise<number> {
  const [row] = await prisma.$queryRaw<Array<{ count: number }>>`
    SELECT count(*)::int AS count ${usableFeedback(modelId, owner)} AND NOT f."isCorrect"`;
  return row?.count ?? 0;
}

/** The newest `limit` usable feedback rows (corrections and confirmations), returned oldest first. */
export async function newestUsableFeedback(
  prisma: PrismaClient,
  modelId: string,
  owner: Viewer,
  limit: number,
): Promise<CorrectionCandidate[]> {
  const rows = await prisma.$queryRaw<CorrectionCandidate[]>`
    SELECT f.id::text AS "feedbackId", f."correctLabel" AS label, p."sampleId"::text AS "sampleId",
           coalesce(p."imageSha256", s.sha256) AS sha256
    ${usableFeedback(modelId, owner)}
    ORDER BY f."createdAt" DESC, f.id DESC
    LIMIT ${limit}`;
  return rows.reverse();
}
