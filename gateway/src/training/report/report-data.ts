import type { PrismaClient } from "../../generated/prisma/client";
import { rankTrials } from "../search";
import type { Monitor, TrainingOptions, TrialParams } from "../training-contracts";
import type { StoredEvaluation, StoredJobEvaluation, StoredReliabilityBin } from "../training-rows";
import { finalMetricOf, type FinalMetricValue } from "./final-metric";
import { sampleResults, splitSampleResults, worstMistakes, type EvaluatedSplit } from "./sample-results";

/** How many of the most confident mistakes the report shows as thumbnails. */
export const reportedMistakes = 24;

/** The curves the report draws, from the exported trial's history. */
const curveMetrics = ["loss", "val_loss", "accuracy", "val_accuracy"] as const;

export interface EvaluationData {
  count: number;
  accuracy: number;
  loss: number;
  calibrationError: number;
  /** Rows = true class, columns = predicted class, in the order of the job's labels. */
  confusionMatrix: number[][];
  perClass: StoredEvaluation["perClass"];
  /** Null on jobs trained before the bins were kept. */
  reliability: StoredReliabilityBin[] | null;
  /** Per-sample results kept, and those of the split left out beyond the bound. */
  storedSamples: number;
  omittedSamples: number;
}

export interface ReportMistake {
  sampleId: string;
  split: EvaluatedSplit;
  actual: string;
  predicted: string;
  confidence: number;
  originalPath: string | null;
}

export interface LineageEntry {
  id: string;
  name: string;
  version: string;
}

/** The JSON twin of the HTML report: everything it shows, as data. */
export interface ReportData {
  format: "tessera.training-report/1";
  generatedAt: string;
  job: {
    id: string;
    status: string;
    targetModelSlug: string;
    owner: string;
    createdAt: string;
    startedAt: string | null;
    finishedAt: string | null;
    attempts: number;
    labels: string[];
    splitCounts: unknown;
    options: TrainingOptions;
  };
  finalMetric: FinalMetricValue | null;
  lineage: {
    datasetVersion: LineageEntry | null;
    baseModelVersion: LineageEntry | null;
    resultModelVersion: LineageEntry | null;
  };
  /** The exported trial's history: values[name][i] belongs to epochs[i] (null where missing). */
  curves: { trial: number | null; epochs: number[]; values: Record<string, Array<number | null>> };
  trials: Array<{
    number: number;
    status: string;
    objective: number | null;
    bestEpoch: number | null;
    epochsRun: number;
    params: TrialParams;
    metrics: Record<string, number>;
  }>;
  evaluations: { validation: EvaluationData | null; test: EvaluationData | null };
  misclassified: ReportMistake[];
}

/** Reads what a succeeded job's report shows. Null when the job is gone. */
export async function collectReportData(
  prisma: PrismaClient,
  jobId: string,
  now: Date,
): Promise<ReportData | null> {
  const row = await prisma.trainingJob.findUnique({
    where: { id: jobId },
    include: {
      job: true,
      owner: { select: { handle: true } },
      datasetVersion: { select: { id: true, number: true, dataset: { select: { name: true } } } },
      baseModelVersion: { select: { id: true, version: true, model: { select: { slug: true } } } },
      resultModelVersion: { select: { id: true, version: true, model: { select: { slug: true } } } },
      trials: { omit: { checkpoint: true }, orderBy: { number: "asc" } },
    },
  });
  if (!row) return null;
  const options = row.options as unknown as TrainingOptions;
  const evaluation = row.evaluation as StoredJobEvaluation | null;
  const ranked = rankTrials(
    row.trials.filter((trial) => trial.status === "SUCCEEDED"),
    options.monitor as Monitor,
  );
  const exported = ranked[0]?.number ?? null;
  const results = sampleResults(splitSampleResults(evaluation));
  const mistakes = worstMistakes(results, reportedMistakes);
  const paths = await prisma.sample.findMany({
    where: { id: { in: mistakes.map((mistake) => mistake.sampleId) } },
    select: { id: true, originalPath: true },
  });
  const pathOf = new Map(paths.map((sample) => [sample.id, sample.originalPath]));
  return {
    format: "tessera.training-report/1",
    generatedAt: now.toISOString(),
    job: {
      id: row.id,
      status: row.job.status,
      targetModelSlug: row.targetModelSlug,
      owner: row.owner.handle,
      createdAt: row.createdAt.toISOString(),
      startedAt: row.job.startedAt?.toISOString() ?? null,
      finishedAt: row.job.finishedAt?.toISOString() ?? null,
      attempts: row.job.attempts,
      labels: row.labels,
      splitCounts: row.splitCounts,
      options,
    },
    finalMetric: finalMetricOf(row.trials, options.monitor as Monitor),
    lineage: {
      datasetVersion: row.datasetVersion && {
        id: row.datasetVersion.id,
        name: row.datasetVersion.dataset.name,
        version: `v${row.datasetVersion.number}`,
      },
      baseModelVersion: row.baseModelVersion && {
        id: row.baseModelVersion.id,
        name: row.baseModelVersion.model.slug,
        version: row.baseModelVersion.version,
      },
      resultModelVersion: row.resultModelVersion && {
        id: row.resultModelVersion.id,
        name: row.resultModelVersion.model.slug,
        version: row.resultModelVersion.version,
      },
    },
    curves: await curvesOf(prisma, jobId, exported),
    trials: row.trials.map((trial) => ({
      number: trial.number,
      status: trial.status,
      objective: trial.objective,
      bestEpoch: trial.bestEpoch,
      epochsRun: trial.epochsRun,
      params: trial.params as TrialParams,
      metrics: (trial.metrics as Record<string, number> | null) ?? {},
    })),
    evaluations: {
      validation: evaluationData(evaluation?.validation ?? null, row.labels.length),
      test: evaluationData(evaluation?.test ?? null, row.labels.length),
    },
    misclassified: mistakes.map((mistake) => ({
      sampleId: mistake.sampleId,
      split: mistake.split,
      actual: row.labels[mistake.actual] ?? String(mistake.actual),
      predicted: row.labels[mistake.predicted] ?? String(mistake.predicted),
      confidence: mistake.confidence,
      originalPath: pathOf.get(mistake.sampleId) ?? null,
    })),
  };
}

async function curvesOf(
  prisma: PrismaClient,
  jobId: string,
  trial: number | null,
): Promise<ReportData["curves"]> {
  if (trial === null) return { trial, epochs: [], values: {} };
  const rows = await prisma.trainingMetric.findMany({
    where: { jobId, trial, name: { in: [...curveMetrics] } },
    orderBy: [{ epoch: "asc" }, { name: "asc" }],
  });
  const epochs = [...new Set(rows.map((r) => r.epoch))];
  const values: Record<string, Array<number | null>> = {};
  for (const name of curveMetrics) {
    const byEpoch = new Map(rows.filter((r) => r.name === name).map((r) => [r.epoch, r.value]));
    if (byEpoch.size > 0) values[name] = epochs.map((epoch) => byEpoch.get(epoch) ?? null);
  }
  return { trial, epochs, values };
}

function evaluationData(stored: StoredEvaluation | null, classes: number): EvaluationData | null {
  if (!stored) return null;
  const n = classes || Math.round(Math.sqrt(stored.confusionMatrix.length));
  return {
    count: stored.count,
    accuracy: stored.accuracy,
    loss: stored.loss,
    calibrationError: stored.calibrationError,
    confusionMatrix: Array.from({ length: n }, (_, r) => stored.confusionMatrix.slice(r * n, (r + 1) * n)),
    perClass: stored.perClass,
    reliability: stored.reliability ?? null,
    storedSamples: stored.samples?.sampleIds.length ?? 0,
    omittedSamples: stored.samples?.omitted ?? 0,
  };
}
