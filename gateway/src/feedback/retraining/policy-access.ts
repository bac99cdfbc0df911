import type {
  PolicyEvaluation as EvaluationRow,
  Prisma,
  PrismaClient,
  RetrainingPolicy as PolicyRow,
} from "../../generated/prisma/client";
import type { Viewer } from "../../users/access";
import { storeEvaluation } from "./evaluation-store";

type Db = PrismaClient | Prisma.TransactionClient;

/** The policy's owner, and why they may no longer run the policy (null while they may). */
export type PolicyAccess = { owner: Viewer; refusal: null } | { owner: Viewer | null; refusal: string };

/**
 * Whether the policy's owner may still do what a run does: change its model (a challenger is
 * registered under it, its alias moved) and its dataset (a version is made). Checked when a
 * policy is evaluated and when a run starts, since either may have changed hands since creation.
 */
export async function policyAccess(db: Db, policy: PolicyRow): Promise<PolicyAccess> {
  const [user, model, dataset] = await Promise.all([
    db.user.findUnique({ where: { id: policy.ownerId } }),
    db.model.findUnique({ where: { id: policy.modelId }, select: { ownerId: true, slug: true } }),
    db.dataset.findUnique({ where: { id: policy.datasetId }, select: { ownerId: true, name: true } }),
  ]);
  if (!user || user.deactivatedAt) return { owner: null, refusal: "its owner's account is deactivated" };
  const owner: Viewer = { id: user.id, handle: user.handle, role: user.role as Viewer["role"] };
  const mayChange = (object: { ownerId: string } | null) =>
    object !== null && (owner.role === "ADMIN" || object.ownerId === owner.id);
  if (!mayChange(model)) {
    return { owner, refusal: `its owner may no longer change model "${model?.slug ?? policy.modelId}"` };
  }
  if (!mayChange(dataset)) {
    return {
      owner,
      refusal: `its owner may no longer change dataset "${dataset?.name ?? policy.datasetId}"`,
    };
  }
  return { owner, refusal: null };
}

/**
 * Switches the policy off and stores an evaluation that says why, so the owner reads it in the
 * policy's timeline (the run, if any, fails FORBIDDEN with the same words).
 */
export async function disablePolicy(
  tx: Prisma.TransactionClient,
  policyId: string,
  refusal: string,
  metrics: Record<string, unknown> = {},
): Promise<EvaluationRow> {
  await tx.retrainingPolicy.update({ where: { id: policyId }, data: { enabled: false } });
  return storeEvaluation(tx, policyId, {
    dryRun: false,
    fired: false,
    reasons: [`disabled: ${refusal}`],
    metrics: { disabled: { reason: refusal, ...metrics } },
  });
}
