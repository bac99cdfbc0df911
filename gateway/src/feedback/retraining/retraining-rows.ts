import type {
  Job as JobRow,
  PolicyEvaluation as EvaluationRow,
  RetrainingPolicy as PolicyRow,
  RetrainingRun as RunRow,
} from "../../generated/prisma/client";
import { JobStatus } from "../../jobs/jobs.types";
import { readTriggers } from "./policy-settings";
import { DriftMethod } from "./retraining.inputs";
import { PolicyEvaluation, RetrainingPolicy, RetrainingRun } from "./retraining.types";

export function toRetrainingPolicy(row: PolicyRow): RetrainingPolicy {
  const triggers = readTriggers(row.triggers);
  return Object.assign(new RetrainingPolicy(), {
    id: row.id,
    name: row.name,
    triggers: {
      ...triggers,
      drift: triggers.drift && { ...triggers.drift, method: triggers.drift.method as DriftMethod },
      nextScheduledAt: row.nextScheduledAt,
    },
    enabled: row.enabled,
    cooldown: row.cooldownSeconds,
    promote: { alias: row.promoteAlias, mustBeatChampionBy: row.mustBeatChampionBy },
    trainingTemplate: row.trainingTemplate,
    createdAt: row.createdAt,
    lastFiredAt: row.lastFiredAt,
    lastEvaluatedAt: row.lastEvaluatedAt,
    ownerId: row.ownerId,
    modelId: row.modelId,
    datasetId: row.datasetId,
  });
}

export function toPolicyEvaluation(row: EvaluationRow): PolicyEvaluation {
  return Object.assign(new PolicyEvaluation(), {
    id: row.id,
    at: row.at,
    fired: row.fired,
    dryRun: row.dryRun,
    reasons: Array.isArray(row.reasons) ? (row.reasons as string[]) : [],
    metrics: row.metrics,
    policyId: row.policyId,
  });
}

export function toRetrainingRun(
  row: RunRow & { job: Pick<JobRow, "status" | "errorCode" | "errorMessage"> },
) {
  return Object.assign(new RetrainingRun(), {
    id: row.id,
    status: row.job.status as JobStatus,
    error: row.job.errorCode ? { code: row.job.errorCode, message: row.job.errorMessage ?? "" } : null,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
    promoted: row.promoted,
    decision: row.decision,
    policyId: row.policyId,
    evaluationId: row.evaluationId,
    datasetVersionId: row.datasetVersionId,
    trainingJobId: row.trainingJobId,
    championVersionId: row.championVersionId,
    challengerVersionId: row.challengerVersionId,
  });
}
