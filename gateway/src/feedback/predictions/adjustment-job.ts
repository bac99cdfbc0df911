import type { Prisma, PrismaClient } from "../../generated/prisma/client";
import { PermanentJobError, type JobHandler } from "../../jobs/job-kind";
import { defaultAdjustmentOptions, type AdjustmentOptions } from "../adjustments/fit-adjustment";
import type { LabelledScores } from "../adjustments/vector-scaling";
import { storedParameters, type StoredAdjustmentParameters } from "./adjusted-predictions";
import type { AdjustmentJobPayload } from "./adjustment-job-kind";
import { fitInWorker } from "./fit-in-worker";
import { lockRefits } from "./adjustment-refits";
import { trustedFeedbackWhere } from "./trusted-feedback";

/**
 * Labelled feedback rows one fit reads, newest first. With the tier's 1,000-class bound this caps
 * a fit at folds × 100 iterations × 1,000 rows × 1,000 classes of arithmetic.
 */
export const MAX_FIT_ROWS = 1_000;

export interface AdjustmentJobDeps {
  prisma: PrismaClient;
  options?: AdjustmentOptions;
  /** A new fit was stored (this process's classifications read it at once). */
  onFitted?: (modelVersionId: string) => void;
}

/**
 * Reads the version's labelled feedback from its owner and admins (trustedFeedbackWhere), fits and
 * cross-validates off-thread, stores the result.
 */
export function adjustmentJobHandler(deps: AdjustmentJobDeps): JobHandler<AdjustmentJobPayload> {
  return async (context) => {
    const { modelVersionId } = context.payload;
    const version = await deps.prisma.modelVersion.findUnique({
      where: { id: modelVersionId },
      select: { model: { select: { ownerId: true } } },
    });
    if (!version) throw new PermanentJobError("The model version was deleted");
    const rows = await deps.prisma.feedback.findMany({
      where: {
        correctLabel: { not: null },
        prediction: { modelVersionId },
        ...trustedFeedbackWhere(version.model.ownerId),
      },
      orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
      take: MAX_FIT_ROWS,
      select: { correctLabel: true, updatedAt: true, prediction: { select: { labels: true, scores: true } } },
    });
    if (rows.length === 0)
      throw new PermanentJobError(
        "The version has no labelled feedback from its owner or an admin (left or deleted)",
      );
    const labels = rows[0]!.prediction.labels;
    const data = labelledScores(labels, rows);
    await context.progress({ phase: "fitting", total: data.targets.length, force: true });
    const fitted = await fitInWorker(data, deps.options ?? defaultAdjustmentOptions, context.signal);
    const through = rows[0]!.updatedAt;
    const stored = await context.write(async (tx) => {
      await lockRefits(tx, modelVersionId);
      if (await newerFitStored(tx, modelVersionId, through)) return false;
      const fields = {
        method: fitted.method,
        parameters: storedParameters(fitted, labels, through) as unknown as Prisma.InputJsonValue,
        feedbackCount: fitted.feedbackCount,
        accuracyBefore: fitted.accuracyBefore,
        accuracyAfter: fitted.accuracyAfter,
        active: fitted.active,
        fittedAt: new Date(),
      };
      await tx.feedbackAdjustment.upsert({
        where: { modelVersionId },
        create: { modelVersionId, ...fields },
        update: fields,
      });
      return true;
    });
    if (stored) deps.onFitted?.(modelVersionId);
    return {
      result: {
        feedbackCount: fitted.feedbackCount,
        accuracyBefore: fitted.accuracyBefore,
        accuracyAfter: fitted.accuracyAfter,
        active: fitted.active,
        stored: Boolean(stored),
      },
    };
  };
}

/**
 * Rows whose logged vector has the version's labels (in the same order) and whose correction
 * names one of them; a vector cut short at the tier's top-k bound may lack the corrected label.
 */
function labelledScores(
  labels: string[],
  rows: Array<{ correctLabel: string | null; prediction: { labels: string[]; scores: number[] } }>,
): LabelledScores {
  const position = new Map(labels.map((label, index) => [label, index]));
  const usable = rows.filter(
    (row) =>
      position.has(row.correctLabel!) &&
      row.prediction.labels.length === labels.length &&
      row.prediction.labels.every((label, index) => label === labels[index]),
  );
  const probabilities = new Float64Array(usable.length * labels.length);
  usable.forEach((row, index) => probabilities.set(row.prediction.scores, index * labels.length));
  return {
    classCount: labels.length,
    probabilities,
    targets: Int32Array.from(usable, (row) => position.get(row.correctLabel!)!),
  };
}

/** A fit of newer feedback finished first: this older one is dropped. */
async function newerFitStored(tx: Prisma.TransactionClient, modelVersionId: string, through: Date) {
  const existing = await tx.feedbackAdjustment.findUnique({ where: { modelVersionId } });
  const storedThrough = (existing?.parameters as Partial<StoredAdjustmentParameters> | undefined)
    ?.throughFeedbackAt;
  return storedThrough !== undefined && new Date(storedThrough) > through;
}
