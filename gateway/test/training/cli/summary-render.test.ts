import { describe, expect, it } from "vitest";
import { summary } from "../../../src/training/cli/summary-render";
import { finishedJob, startedJob } from "./fixtures";

describe("the summary printed at the end", () => {
  it("gives the evaluation, per class and as a confusion matrix, and the registered version", () => {
    expect(summary(finishedJob(), 83)).toBe(
      [
        "Training succeeded after 1m23s.",
        "",
        "Samples: 16 train, 4 validation, 0 test",
        "",
        "Validation (4 samples): accuracy 0.7500, loss 0.5123, calibration error 0.0812",
        "class        precision  recall     f1  support",
        "blue-dots        0.667   1.000  0.800        2",
        "red-stripes      1.000   0.500  0.667        2",
        "",
        "Confusion matrix (rows: true class, columns: predicted, in the order above):",
        "               1  2",
        "1 blue-dots    2  0",
        "2 red-stripes  1  1",
        "",
        "Registered model version ada/texture-classifier v3 (id 9a1b2c3d-0000-4000-8000-000000000002)",
      ].join("\n"),
    );
  });

  it("names the best trial of a search and how the trials ended", () => {
    const job = finishedJob({
      options: { ...startedJob().options, enableHyperparameterTuning: true, maxTrials: 3 },
      trials: [
        {
          number: 2,
          status: "SUCCEEDED",
          objective: 0.31,
          bestEpoch: 7,
          epochsRun: 10,
          params: [{ name: "dropout", value: 0.25, choice: null }],
        },
        { number: 0, status: "SUCCEEDED", objective: 0.4, bestEpoch: 9, epochsRun: 10, params: [] },
        { number: 1, status: "PRUNED", objective: 0.9, bestEpoch: 2, epochsRun: 3, params: [] },
      ],
    });
    expect(summary(job, 5)).toContain(
      "Search: 3 trials (2 succeeded, 1 pruned)\nBest: trial 3, val_loss 0.3100 at epoch 7 (dropout 0.25)",
    );
  });

  it("gives the reason when the job failed or was cancelled", () => {
    const failed = finishedJob({
      status: "FAILED",
      error: "The loss became NaN at epoch 3",
      resultModelVersion: null,
    });
    expect(summary(failed, 12)).toBe("Training failed after 12s: The loss became NaN at epoch 3");
    const cancelled = finishedJob({
      status: "CANCELLED",
      error: "Cancelled by ada",
      resultModelVersion: null,
    });
    expect(summary(cancelled, 3)).toBe("Training cancelled after 3s: Cancelled by ada");
  });
});
