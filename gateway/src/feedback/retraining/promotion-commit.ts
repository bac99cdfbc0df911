import { randomUUID } from "node:crypto";
import type { Prisma, RetrainingPolicy as PolicyRow } from "../../generated/prisma/client";
import type { PromotionDecision } from "./promotion-decision";

export const ALIAS_MOVED = "the alias moved during the run; not promoted";

/**
 * Moves the policy's alias to the challenger, in the transaction that ends the run, only if it
 * still names the champion the challenger beat (or, when there was none, still names nothing):
 * the alias row is locked first, so a person or another run moving it meanwhile is never
 * overwritten. Returns the decision as it stands after the attempt.
 */
export async function promoteIfUnmoved(
  tx: Prisma.TransactionClient,
  policy: Pick<PolicyRow, "modelId" | "promoteAlias">,
  decision: PromotionDecision,
  championVersionId: string | null,
): Promise<PromotionDecision> {
  if (!decision.promoted) return decision;
  const { modelId, promoteAlias: alias } = policy;
  const challengerId = decision.challenger.versionId;
  if (championVersionId === null) {
    const inserted = await tx.$executeRaw`
      INSERT INTO "ModelAlias" (id, "modelId", alias, "versionId", "createdAt", "updatedAt")
      VALUES (${randomUUID()}::uuid, ${modelId}::uuid, ${alias}, ${challengerId}::uuid, now(), now())
      ON CONFLICT ("modelId", alias) DO NOTHING`;
    return inserted === 1 ? decision : moved(decision);
  }
  const [current] = await tx.$queryRaw<Array<{ versionId: string }>>`
    SELECT "versionId"::text AS "versionId" FROM "ModelAlias"
    WHERE "modelId" = ${modelId}::uuid AND alias = ${alias}
    FOR UPDATE`;
  if (current?.versionId !== championVersionId) return moved(decision);
  await tx.modelAlias.update({
    where: { modelId_alias: { modelId, alias } },
    data: { versionId: challengerId },
  });
  return decision;
}

function moved(decision: PromotionDecision): PromotionDecision {
  return { ...decision, promoted: false, reason: ALIAS_MOVED };
}
