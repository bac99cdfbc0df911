import type { PrismaClient } from "../../generated/prisma/client";
import { badInput } from "../../errors";
import { checkLength, limits } from "../../limits";
import { requireViewer, type Viewer } from "../../users/access";
import type { AdjustmentRefits } from "./adjustment-refits";
import { correctableLabels, namedLabels, topLabel, verdictOf } from "./model-labels";
import { FeedbackSource, type Feedback, type FeedbackInput } from "./predictions.types";
import type { PredictionsService } from "./predictions.service";
import type { OwnedPrediction } from "./owned-predictions";

/** Records what people say about predictions; new labelled feedback queues a refit. */
export class FeedbackService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly predictions: PredictionsService,
    private readonly refits: AdjustmentRefits,
  ) {}

  /**
   * The prediction's one Feedback row, created or replaced. NOT_FOUND for a prediction the viewer
   * may not see (another user's); BAD_USER_INPUT for neither a label nor a verdict, a label the
   * model does not have (naming its labels), or a label and a verdict that disagree. A correction
   * changed after a retraining run used it is unused again, so the next run learns the new label.
   */
  async record(viewer: Viewer | null, input: FeedbackInput): Promise<Feedback> {
    const user = requireViewer(viewer);
    const correctLabel =
      input.correctLabel == null ? null : checkLength("correctLabel", input.correctLabel, limits.nameLength);
    if (correctLabel === null && input.isCorrect == null) {
      throw badInput('Give "correctLabel", "isCorrect" or both', { field: "input" });
    }
    const source = input.source ?? FeedbackSource.API;
    if (source === FeedbackSource.LABELING) {
      throw badInput("source LABELING is set by submitLabels; use API or PLAYGROUND", { field: "source" });
    }
    const note =
      input.note == null ? null : checkLength("note", input.note, limits.predictions.feedbackNoteLength);
    const prediction = await this.predictions.visible(user, input.predictionId);
    const labels = await this.labelsOf(prediction, correctLabel);
    const verdict = judge(prediction, labels, correctLabel, input.isCorrect ?? null);
    const fields = { ...verdict, note, source, createdById: user.id };
    const feedback = await this.prisma.$transaction(async (tx) => {
      const earlier = await tx.feedback.findUnique({
        where: { predictionId: prediction.id },
        select: { correctLabel: true },
      });
      const relabelled = earlier !== null && earlier.correctLabel !== verdict.correctLabel;
      const row = await tx.feedback.upsert({
        where: { predictionId: prediction.id },
        create: { predictionId: prediction.id, ...fields },
        update: relabelled ? { ...fields, usedInVersionId: null } : fields,
      });
      if (verdict.correctLabel !== null) {
        await this.refits.requestIn(tx, prediction.modelVersionId, prediction.model.ownerId);
      }
      return row;
    });
    this.refits.wake();
    return feedback as Feedback;
  }

  private async labelsOf(prediction: OwnedPrediction, correctLabel: string | null): Promise<string[]> {
    if (correctLabel === null || prediction.labels.includes(correctLabel)) return prediction.labels;
    const version = await this.prisma.modelVersion.findUnique({
      where: { id: prediction.modelVersionId },
      select: { labels: true },
    });
    return correctableLabels(prediction.labels, version?.labels ?? []);
  }
}

/**
 * The stored verdict: a label equal to the top prediction means right; isCorrect: true alone
 * confirms the top label (so it counts as a known label for the adjustments).
 */
function judge(
  prediction: OwnedPrediction,
  labels: string[],
  correctLabel: string | null,
  isCorrect: boolean | null,
) {
  const top = topLabel(prediction);
  if (correctLabel === null) return { correctLabel: isCorrect ? top : null, isCorrect: isCorrect! };
  const verdict = verdictOf(prediction, labels, correctLabel);
  if (!verdict) {
    throw badInput(`"${correctLabel}" is not a label of this model; its labels are ${namedLabels(labels)}`, {
      field: "correctLabel",
      labels: labels.slice(0, limits.inference.topK),
    });
  }
  if (isCorrect !== null && isCorrect !== verdict.isCorrect) {
    throw badInput(
      verdict.isCorrect
        ? `"${correctLabel}" is the top prediction, so isCorrect cannot be false`
        : `The top prediction is "${top}", not "${correctLabel}", so isCorrect cannot be true`,
      { field: "isCorrect" },
    );
  }
  return verdict;
}
