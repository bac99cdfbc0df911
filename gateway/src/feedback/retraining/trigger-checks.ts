import type { PrismaClient, RetrainingPolicy as PolicyRow } from "../../generated/prisma/client";
import type { Viewer } from "../../users/access";
import { normalisedEntropy } from "../numerics/normalised-entropy";
import { formatStatistic } from "../drift/drift-test";
import type { Blocker, TriggerCheck } from "./evaluation-verdict";
import { countCorrections } from "./usable-corrections";

/** Predictions the uncertainty trigger averages over, newest first. */
export const UNCERTAINTY_WINDOW = 200;
/** Fewer predictions (or training samples, for drift) than this say "not enough data". */
export const MIN_MEASURED = 20;

/**
 * Usable corrections (see usable-corrections.ts: trusted, with an image the owner may use, not
 * taken or left out by a run) whose label differs from the prediction's top label; confirmations
 * do not count.
 */
export async function feedbackCountCheck(
  prisma: PrismaClient,
  policy: PolicyRow,
  owner: Viewer,
  threshold: number,
): Promise<TriggerCheck> {
  const count = await countCorrections(prisma, policy.modelId, owner);
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
