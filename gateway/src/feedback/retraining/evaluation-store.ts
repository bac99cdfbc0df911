import type { PolicyEvaluation as EvaluationRow, Prisma } from "../../generated/prisma/client";
import { limits } from "../../limits";

export interface EvaluationFields {
  dryRun: boolean;
  fired: boolean;
  reasons: string[];
  metrics: Record<string, unknown>;
}

/**
 * Stores an evaluation and, in the same transaction, prunes the policy's older ones beyond the
 * newest limits.retraining.evaluationsKept: a scheduled policy is evaluated every few minutes
 * (288 a day at the default interval), forever. Evaluations that fired, and any a run points
 * at, are the policy's history and always stay.
 */
export async function storeEvaluation(
  tx: Prisma.TransactionClient,
  policyId: string,
  fields: EvaluationFields,
): Promise<EvaluationRow> {
  const row = await tx.policyEvaluation.create({
    data: {
      policyId,
      dryRun: fields.dryRun,
      fired: fields.fired,
      reasons: fields.reasons,
      metrics: fields.metrics as Prisma.InputJsonValue,
    },
  });
  await tx.$executeRaw`
    DELETE FROM "PolicyEvaluation" e
    WHERE e."policyId" = ${policyId}::uuid AND NOT e.fired
      AND NOT EXISTS (SELECT 1 FROM "RetrainingRun" r WHERE r."evaluationId" = e.id)
      AND e.id NOT IN (
        SELECT id FROM "PolicyEvaluation" WHERE "policyId" = ${policyId}::uuid
        ORDER BY at DESC, id DESC LIMIT ${limits.retraining.evaluationsKept})`;
  return row;
}
