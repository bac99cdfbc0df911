import type { PrismaClient } from "../../generated/prisma/client";
import { badInput } from "../../errors";
import { checkLength, limits } from "../../limits";
import { requireViewer, type Viewer } from "../../users/access";
import { argmax } from "../adjustments/fit-adjustment";
import type { AdjustmentRefits } from "./adjustment-refits";
import { FeedbackSource, type Feedback, type FeedbackInput } from "./predictions.types";
import type { OwnedPrediction, PredictionsService } from "./predictions.service";

/** Labels a BAD_USER_INPUT message names before "… and N more". */
const LABELS_NAMED = 50;

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
   * model does not have (naming its labels), or a label and a verdict that disagree.
   */
  async record(viewer: Viewer | null, input: FeedbackInput): Promise<Feedback> {
    const user = requireViewer(viewer);
    if (input.correctLabel == null && input.isCorrect == null) {
      throw badInput('Give "correctLabel", "isCorrect" or both', { field: "input" });
    }
    const source = input.source ?? FeedbackSource.API;
    if (source === FeedbackSource.LABELING) {
      throw badInput("source LABELING is set by submitLabels; use API or PLAYGROUND", { field: "source" });
    }
    const note =
      input.note == null ? null : checkLength("note", input.note, limits.predictions.feedbackNoteLength);
    const prediction = await this.predictions.visible(user, input.predictionId);
    const labels = await this.labelsOf(prediction, input.correctLabel ?? null);
    const verdict = judge(prediction, labels, input.correctLabel ?? null, input.isCorrect ?? null);
    const fields = { ...verdict, note, source, createdById: user.id };
    const feedback = await this.prisma.$transaction(async (tx) => {
      const row = await tx.feedback.upsert({
        where: { predictionId: prediction.id },
        create: { predictionId: prediction.id, ...fields },
        update: fields,
      });
      if (verdict.correctLabel !== null) {
        await this.refits.requestIn(tx, prediction.modelVersionId, prediction.modelOwnerId);
      }
      return row;
    });
    this.refits.wake();
    return feedback as Feedback;
  }

  /**
   * The labels a correction may name: the logged vector's, unless the label is not among them —
   * a model of more classes than the tier's top-k bound logs only its top ones — then the version's.
   */
  private async labelsOf(prediction: OwnedPrediction, correctLabel: string | null): Promise<string[]> {
    if (correctLabel === null || prediction.labels.includes(correctLabel)) return prediction.labels;
    const version = await this.prisma.modelVersion.findUnique({
      where: { id: prediction.modelVersionId },
      select: { labels: true },
    });
    return version && version.labels.length > prediction.labels.length ? version.labels : prediction.labels;
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
  const top = prediction.labels[argmax(prediction.scores)] ?? null;
  if (correctLabel === null) return { correctLabel: isCorrect ? top : null, isCorrect: isCorrect! };
  if (!labels.includes(correctLabel)) {
    throw badInput(`"${correctLabel}" is not a label of this model; its labels are ${namedLabels(labels)}`, {
      field: "correctLabel",
      labels: labels.slice(0, limits.inference.topK),
    });
  }
  const right = correctLabel === top;
  if (isCorrect !== null && isCorrect !== right) {
    throw badInput(
      right
        ? `"${correctLabel}" is the top prediction, so isCorrect cannot be false`
        : `The top prediction is "${top}", not "${correctLabel}", so isCorrect cannot be true`,
      { field: "isCorrect" },
    );
  }
  return { correctLabel, isCorrect: right };
}

function namedLabels(labels: string[]): string {
  const named = labels
    .slice(0, LABELS_NAMED)
    .map((label) => `"${label}"`)
    .join(", ");
  return labels.length > LABELS_NAMED ? `${named} … and ${labels.length - LABELS_NAMED} more` : named;
}
