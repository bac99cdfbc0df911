import type { Prisma } from "../../generated/prisma/client";
import type { JobsService } from "../../jobs/jobs.service";
import { defaultAdjustmentOptions } from "../adjustments/fit-adjustment";
import { adjustmentJobKind } from "./adjustment-job-kind";
import { trustedFeedbackWhere } from "./trusted-feedback";

/** Serialises, per version, queueing a refit and storing one (until the transaction ends). */
export async function lockRefits(tx: Prisma.TransactionClient, modelVersionId: string): Promise<void> {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`refit:${modelVersionId}`}, 0))::text`;
}

/** Queues refits of a version's adjustment as its labelled feedback grows. */
export class AdjustmentRefits {
  constructor(
    private readonly jobs: JobsService,
    private readonly minFeedback = defaultAdjustmentOptions.minFeedback,
  ) {}

  /**
   * In the transaction that stored feedback with a known label: queues a refit once the version
   * has `minFeedback` labelled rows the fit may use (trustedFeedbackWhere), unless one is QUEUED already (it will read this feedback too).
   * Serialised per version, so two corrections arriving together queue one job, not two.
   */
  async requestIn(tx: Prisma.TransactionClient, modelVersionId: string, modelOwnerId: string): Promise<void> {
    await lockRefits(tx, modelVersionId);
    const labelled = await tx.feedback.count({
      where: {
        correctLabel: { not: null },
        prediction: { modelVersionId },
        ...trustedFeedbackWhere(modelOwnerId),
      },
    });
    if (labelled < this.minFeedback) return;
    const queued = await tx.job.findFirst({
      where: {
        kind: adjustmentJobKind.name,
        status: "QUEUED",
        payload: { path: ["modelVersionId"], equals: modelVersionId },
      },
      select: { id: true },
    });
    if (queued) return;
    // The model's owner owns the job: the adjustment is the model's, whoever gave the feedback.
    await this.jobs.enqueue(tx, adjustmentJobKind, { ownerId: modelOwnerId, payload: { modelVersionId } });
  }

  /** After the transaction committed: this process's idle workers start at once. */
  wake(): void {
    this.jobs.queued(adjustmentJobKind);
  }
}
