import { randomUUID } from "node:crypto";
import type {
  PolicyEvaluation as EvaluationRow,
  Prisma,
  PrismaClient,
  RetrainingPolicy as PolicyRow,
} from "../../generated/prisma/client";
import { AppError, notFound } from "../../errors";
import type { JobsService } from "../../jobs/jobs.service";
import type { Logger } from "../../logger";
import type { Viewer } from "../../users/access";
import { driftCheck } from "./drift-check";
import type { DriftEmbeddingDeps } from "./drift-embeddings";
import { storeEvaluation } from "./evaluation-store";
import { verdictOf, type TriggerCheck, type Verdict } from "./evaluation-verdict";
import { disablePolicy, policyAccess } from "./policy-access";
import { nextScheduledAt, readTriggers } from "./policy-settings";
import { retrainJobKind } from "./retrain-job-kind";
import { blockerOf, feedbackCountCheck, scheduleCheck, uncertaintyCheck } from "./trigger-checks";

export interface EvaluateOptions {
  /** Stores the evaluation (dryRun: true) and fires nothing. */
  dryRun: boolean;
  /** The scheduler already stamped lastEvaluatedAt when it claimed the policy. */
  scheduled?: boolean;
  signal?: AbortSignal;
}

/**
 * Measures a policy's triggers, decides, and stores the evaluation; when it fires, the same
 * transaction stamps the policy's lastFiredAt (only if no other evaluation did since it was read,
 * so replicas evaluating at once fire it once), queues a retrain-model job and creates its run.
 */
export class PolicyEvaluator {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly jobs: JobsService,
    private readonly embeddings: DriftEmbeddingDeps,
    private readonly logger: Logger,
  ) {}

  async evaluate(policyId: string, options: EvaluateOptions): Promise<EvaluationRow> {
    const policy = await this.prisma.retrainingPolicy.findUnique({ where: { id: policyId } });
    if (!policy) throw notFound(`Retraining policy ${policyId}`);
    const now = new Date();
    const access = await policyAccess(this.prisma, policy);
    if (access.refusal !== null) return this.refuse(policy, access.refusal, options.dryRun);
    const checks = await this.measure(policy, access.owner, now, options.signal);
    const verdict = verdictOf(checks, await blockerOf(this.prisma, policy, now), options.dryRun);
    if (!verdict.fires) {
      return this.prisma.$transaction(async (tx) => {
        if (!options.dryRun && !options.scheduled) {
          await tx.retrainingPolicy.update({ where: { id: policy.id }, data: { lastEvaluatedAt: now } });
        }
        return this.record(tx, policy.id, verdict, options.dryRun, false);
      });
    }
    const fired = await this.fire(policy, verdict, now);
    if (fired.run) this.jobs.queued(retrainJobKind);
    return fired.evaluation;
  }

  /**
   * The owner may no longer change the model or the dataset: nothing is measured (that would read
   * their data on their behalf), and a real evaluation switches the policy off, saying why.
   */
  private async refuse(policy: PolicyRow, refusal: string, dryRun: boolean): Promise<EvaluationRow> {
    this.logger.info({ policyId: policy.id, refusal }, "a retraining policy lost its owner's access");
    return this.prisma.$transaction((tx) =>
      dryRun
        ? storeEvaluation(tx, policy.id, {
            dryRun,
            fired: false,
            reasons: [`would not fire: ${refusal}`],
            metrics: { refused: { reason: refusal } },
          })
        : disablePolicy(tx, policy.id, refusal),
    );
  }

  private async measure(
    policy: PolicyRow,
    owner: Viewer,
    now: Date,
    signal?: AbortSignal,
  ): Promise<TriggerCheck[]> {
    const triggers = readTriggers(policy.triggers);
    const checks: TriggerCheck[] = [];
    if (triggers.feedbackCount !== null) {
      checks.push(await feedbackCountCheck(this.prisma, policy, owner, triggers.feedbackCount));
    }
    if (triggers.schedule) checks.push(scheduleCheck(triggers.schedule, policy.nextScheduledAt, now));
    if (triggers.meanUncertaintyAbove !== null) {
      checks.push(await uncertaintyCheck(this.prisma, policy, triggers.meanUncertaintyAbove));
    }
    if (triggers.drift) {
      try {
        checks.push(await driftCheck(this.embeddings, policy, triggers.drift, signal));
      } catch (error) {
        // The tier away: the other triggers still decide, and the sentence says why drift did not.
        this.logger.warn({ err: error, policyId: policy.id }, "drift could not be measured");
        // The owner reads this: an AppError's message is written for them, anything else is not.
        const why =
          error instanceof AppError ? error.message : "an internal error; the gateway's log has the details";
        checks.push({
          trigger: "drift",
          met: false,
          reason: `drift: could not be measured (${why})`,
          metrics: { error: why },
        });
      }
    }
    return checks;
  }

  private async fire(
    policy: PolicyRow,
    verdict: Verdict,
    now: Date,
  ): Promise<{ evaluation: EvaluationRow; run: boolean }> {
    const runId = randomUUID();
    return this.prisma.$transaction(async (tx) => {
      const claimed = await tx.retrainingPolicy.updateMany({
        where: { id: policy.id, lastFiredAt: policy.lastFiredAt },
        data: {
          lastFiredAt: now,
          lastEvaluatedAt: now,
          nextScheduledAt: nextScheduledAt(readTriggers(policy.triggers).schedule, now),
        },
      });
      if (claimed.count === 0) {
        const lost = {
          ...verdict,
          reasons: [
            "did not fire: another evaluation fired the policy at the same moment",
            ...verdict.reasons.slice(1),
          ],
        };
        return { evaluation: await this.record(tx, policy.id, lost, false, false), run: false };
      }
      const evaluation = await this.record(tx, policy.id, verdict, false, true);
      await this.jobs.enqueue(tx, retrainJobKind, {
        id: runId,
        ownerId: policy.ownerId,
        payload: { retrainingRunId: runId },
      });
      await tx.retrainingRun.create({
        data: { id: runId, policyId: policy.id, evaluationId: evaluation.id },
      });
      return { evaluation, run: true };
    });
  }

  private record(
    tx: Prisma.TransactionClient,
    policyId: string,
    verdict: Verdict,
    dryRun: boolean,
    fired: boolean,
  ): Promise<EvaluationRow> {
    return storeEvaluation(tx, policyId, {
      dryRun,
      fired,
      reasons: verdict.reasons,
      metrics: verdict.metrics,
    });
  }
}
