import type { ReportData } from "../../../src/training/report/report-data";

/** A tiny succeeded job's report data: 2 classes, 2 trials, validation and test splits. */
export function tinyReportData(): ReportData {
  const bins = Array.from({ length: 10 }, (_, bin) => ({
    lower: bin / 10,
    upper: (bin + 1) / 10,
    count: bin === 9 ? 3 : bin === 6 ? 1 : 0,
    confidence: bin === 9 ? 0.95 : bin === 6 ? 0.65 : 0,
    accuracy: bin === 9 ? 2 / 3 : bin === 6 ? 1 : 0,
  }));
  const evaluation = {
    count: 4,
    accuracy: 0.75,
    loss: 0.4,
    calibrationError: 0.2,
    confusionMatrix: [
      [2, 1],
      [0, 1],
    ],
    perClass: [
      { label: "cat", precision: 1, recall: 2 / 3, f1: 0.8, support: 3 },
      { label: "dog <b>", precision: 0.5, recall: 1, f1: 2 / 3, support: 1 },
    ],
    reliability: bins,
    storedSamples: 4,
    omittedSamples: 0,
  };
  return {
    format: "tessera.training-report/1",
    generatedAt: "2026-01-02T03:04:05.000Z",
    job: {
      id: "00000000-0000-4000-8000-000000000001",
      status: "SUCCEEDED",
      targetModelSlug: "pets",
      owner: "ada",
      createdAt: "2026-01-02T03:00:00.000Z",
      startedAt: "2026-01-02T03:00:01.000Z",
      finishedAt: "2026-01-02T03:04:00.000Z",
      attempts: 1,
      labels: ["cat", "dog <b>"],
      splitCounts: { train: 8, validation: 4, test: 4 },
      options: { monitor: "val_loss", epochs: 2, learningRate: 0.01 } as never,
    },
    finalMetric: { name: "val_loss", value: 0.4 },
    lineage: {
      datasetVersion: { id: "d1", name: "pets", version: "v1" },
      baseModelVersion: { id: "b1", name: "feature-embedder", version: "v1" },
      resultModelVersion: { id: "r1", name: "pets", version: "v2" },
    },
    curves: {
      trial: 1,
      epochs: [1, 2],
      values: { loss: [0.9, 0.5], val_loss: [0.8, 0.4], accuracy: [0.5, 0.8], val_accuracy: [0.5, 0.75] },
    },
    trials: [
      {
        number: 0,
        status: "SUCCEEDED",
        objective: 0.6,
        bestEpoch: 2,
        epochsRun: 2,
        params: { learningRate: 0.1 },
        metrics: { val_loss: 0.6 },
      },
      {
        number: 1,
        status: "SUCCEEDED",
        objective: 0.4,
        bestEpoch: 2,
        epochsRun: 2,
        params: { learningRate: 0.01 },
        metrics: { val_loss: 0.4 },
      },
    ],
    evaluations: { validation: evaluation, test: { ...evaluation, reliability: null } },
    misclassified: [
      {
        sampleId: "s1",
        split: "validation",
        actual: "cat",
        predicted: "dog <b>",
        confidence: 0.97,
        originalPath: "cat/1.png",
      },
    ],
  };
}
