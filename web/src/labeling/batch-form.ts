import { LabelingDiversity, LabelingStrategy, type LabelingBatchInput } from "../gql/graphql";

/** The form as typed: numbers stay text until checked. */
export interface BatchForm {
  modelVersionId: string;
  poolKind: "dataset" | "predictions";
  datasetVersionId: string;
  /**
   * For a prediction-log pool (the chosen model version's own log): the dataset the labelled
   * images join; empty leaves it to the gateway, which takes the dataset the version was trained on.
   */
  targetDatasetId: string;
  strategy: LabelingStrategy;
  diversity: LabelingDiversity;
  size: string;
  /** Percent, 0–100. */
  randomPercent: string;
}

export const defaultBatchForm: BatchForm = {
  modelVersionId: "",
  poolKind: "dataset",
  datasetVersionId: "",
  targetDatasetId: "",
  strategy: LabelingStrategy.Entropy,
  diversity: LabelingDiversity.None,
  size: "20",
  // A few random items by default, so the batch shows what picking by uncertainty saves.
  randomPercent: "10",
};

/** Problems by the server's input name, so both kinds show at the same field. */
export type BatchProblems = Partial<
  Record<"modelVersionId" | "pool" | "targetDatasetId" | "size" | "randomShare", string>
>;

/** What the page knows of its choices once their queries answer (undefined: not known yet). */
export interface BatchChoices {
  /** The dataset the chosen model version was trained on; null when it was not trained on one here. */
  trainedOnDatasetId?: string | null;
}

/** The input for `createLabelingBatch`, or what must be fixed first. */
export function batchInput(
  form: BatchForm,
  choices: BatchChoices = {},
): { input: LabelingBatchInput } | { problems: BatchProblems } {
  const problems: BatchProblems = {};
  if (!form.modelVersionId) problems.modelVersionId = "Choose the model whose uncertainty picks the items.";
  if (form.poolKind === "dataset") {
    if (!form.datasetVersionId)
      problems.pool = "Choose the dataset version whose unlabeled samples are the pool.";
  } else if (form.modelVersionId && !form.targetDatasetId && choices.trainedOnDatasetId === null) {
    problems.targetDatasetId =
      "Choose the dataset the labelled images join: this model version was not trained on a dataset here.";
  }
  const size = Number(form.size);
  if (form.size.trim() === "" || !Number.isInteger(size) || size < 1) {
    problems.size = "A whole number of items, at least 1.";
  }
  const percent = Number(form.randomPercent || "0");
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
    problems.randomShare = "A share from 0 to 100 %.";
  }
  if (Object.keys(problems).length > 0) return { problems };
  return {
    input: {
      modelVersionId: form.modelVersionId,
      // The gateway ranks a prediction log by the scores logged with it: only the model's own.
      pool:
        form.poolKind === "dataset"
          ? { datasetVersionId: form.datasetVersionId }
          : { predictionsOf: form.modelVersionId },
      ...(form.poolKind === "predictions" &&
        form.targetDatasetId && { targetDatasetId: form.targetDatasetId }),
      strategy: form.strategy,
      diversity: form.diversity,
      size,
      randomShare: percent / 100,
    },
  };
}

export const strategyHints: Record<LabelingStrategy, string> = {
  [LabelingStrategy.Entropy]: "Items whose predicted probabilities are spread most evenly over the labels.",
  [LabelingStrategy.LeastConfidence]: "Items whose likeliest label has the lowest probability.",
  [LabelingStrategy.Margin]: "Items whose two likeliest labels are closest.",
  [LabelingStrategy.Random]: "Items at random: the baseline the others are measured against.",
};

export const diversityHints: Record<LabelingDiversity, string> = {
  [LabelingDiversity.None]: "The most uncertain items, however alike they are.",
  [LabelingDiversity.Kcenter]:
    "Spread over the embedding space (greedy k-center), so near-copies are not all picked.",
  [LabelingDiversity.Cluster]: "One item per cluster among the most uncertain.",
};
