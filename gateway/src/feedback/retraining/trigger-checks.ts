import type { Prisma, PrismaClient, RetrainingPolicy as PolicyRow } from "../../generated/prisma/client";
import { normalisedEntropy } from "../predictions/uncertainty";
import { formatStatistic } from "../drift/drift-test";
import type { Blocker, TriggerCheck } from "./evaluation-verdict";

/** Predictions the uncertainty trigger averages over, newest first. */
export const UNCERTAINTY_WINDOW = 200;
/** Fewer predictions (or training samples, for drift) than this say "not enough data". */
export const MIN_MEASURED = 20;

/**
 * Feedback a run can use: it gives a correct label, no run took it yet, and the prediction it
 * corrects has an image (a dataset sample, or a kept upload).
 */
export const unusedCorrectionsOf = (modelId: string): Prisma.FeedbackWhereInput => ({
  correctLabel: { not: null },
  usedInVersionId: null,
  prediction: {
    modelVersion: { modelId },
    OR: [{ sampleId: { not: null } }, { imageSha256: { not: null } }],
  },
});

export async function feedbackCountCheck(
  prisma: PrismaClient,
  policy: PolicyRow,
  threshold: number,
): Promise<TriggerCheck> {
  const count = await prisma.feedback.count({ where: unusedCorrectionsOf(policy.modelId) });
  const met = count >= threshold;
  const noun = count === 1 ? "correction" : "corrections";
  return {
    trigger: "feedbackCount",
    met,
    reason: `${count} ${noun} ${met ? "≥" : "<"} ${threshold}`,
    metrics: { count, threshold },
  };
}

/** Due once a cron occurrence has passed since the last firing (nextScheduledAt moves on firing). */
export function scheduleCheck(schedule: string, nextScheduledAt: Date | null, now: Date): TriggerCheck {
  const met = nextScheduledAt !== null && nextScheduledAt <= now;
  const when = nextScheduledAt?.toISOString() ?? "never";
  return {
    trigger: "schedule",
    met,
    reason: met
      ? `schedule "${schedule}" came due at ${when}`
      : `schedule "${schedule}" next comes due at ${when}`,
    metrics: { schedule, dueAt: nextScheduledAt?.toISOString() ?? null, due: met },
  };
}

/** Mean normalised entropy of the model's latest served predictions since the last firing. */
export async function uncertaintyCheck(
  prisma: PrismaClient,
  policy: PolicyRow,
  threshold: number,
): Promise<TriggerCheck> {
  const rows = await prisma.prediction.findMany({
    where: {
      modelVersion: { modelId: policy.modelId },
      source: "SERVING",
      ...(policy.lastFiredAt ? { createdAt: { gt: policy.lastFiredAt } } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: UNCERTAINTY_WINDOW,
    select: { scores: true },
  });
  const since = policy.lastFiredAt ? " since the last firing" : "";
  if (rows.length < MIN_MEASURED) {
    return {
      trigger: "meanUncertaintyAbove",
      met: false,
      reason: `mean uncertainty: not enough data (${rows.length} predictions${since}; needs ${MIN_MEASURED})`,
      metrics: { predictions: rows.length, threshold, mean: null },
    };
  }
  const mean = rows.reduce((sum, row) => sum + normalisedEntropy(row.scores), 0) / rows.length;
  const met = mean > threshold;
  return {
    trigger: "meanUncertaintyAbove",
    met,
    reason: `mean uncertainty ${formatStatistic(mean)} ${met ? ">" : "≤"} ${threshold} over ${rows.length} predictions${since}`,
    metrics: { mean, predictions: rows.length, threshold },
  };
}

/** Why a policy that would fire does not: disabled, a run still going, or its cooldown. */
export async function blockerOf(prisma: PrismaClient, policy: PolicyRow, now: Date): Promise<Blocker | null> {
  if (!policy.enabled) return { reason: "the policy is disabled", metrics: { enabled: false } };
  const active = await prisma.retrainingRun.findFirst({
    where: { policyId: policy.id, job: { status: { in: ["QUEUED", "RUNNING"] } } },
    select: { id: true, job: { select: { status: true } } },
  });
  if (active) {
    return {
      reason: `its run ${active.id} is still ${active.job.status.toLowerCase()}`,
      metrics: { activeRunId: active.id },
    };
  }
  if (policy.lastFiredAt) {
    const until = new Date(policy.lastFiredAt.getTime() + policy.cooldownSeconds * 1000);
    if (until > now) {
      return {
        reason: `the cooldown lasts until ${until.toISOString()}`,
        metrics: { cooldownUntil: until.toISOString() },
      };
    }
  }
  return null;
}
