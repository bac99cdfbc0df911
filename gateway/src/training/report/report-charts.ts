import { confusionMatrixChart } from "./charts/confusion-matrix-chart";
import { lineChart, type LineSeries } from "./charts/line-chart";
import { lineageChart, type LineageNode } from "./charts/lineage-chart";
import { perClassChart } from "./charts/per-class-chart";
import { reliabilityChart } from "./charts/reliability-chart";
import { thumbnailSheet } from "./charts/thumbnail-sheet";
import { trialsChart } from "./charts/trials-chart";
import type { EvaluationData, LineageEntry, ReportData } from "./report-data";

/** A chart of the report: `name` is its PNG's file name without ".png". */
export interface ReportChart {
  name: string;
  title: string;
  svg: string;
}

/**
 * Classes a matrix or a bar chart shows at most: past that cells shrink below a readable size.
 * Larger jobs show the classes most involved in mistakes (the JSON twin keeps all of them).
 */
export const maxChartedClasses = 40;

/** Every chart of the report, in the order the HTML shows them and TrainingReport.pngUrls lists them. */
export function reportCharts(data: ReportData, thumbnails: ReadonlyMap<string, string>): ReportChart[] {
  const charts: ReportChart[] = [];
  const add = (name: string, title: string, svg: string) => charts.push({ name, title, svg });
  const { curves, job } = data;
  const series = (name: string, dashed: boolean): LineSeries => ({
    name,
    dashed,
    points: (curves.values[name] ?? []).flatMap((value, index) =>
      value === null ? [] : [[curves.epochs[index]!, value] as const],
    ),
  });
  const trialNote = curves.trial === null ? "" : ` (trial ${curves.trial})`;
  add(
    "loss",
    `Loss by epoch${trialNote}`,
    lineChart({
      title: `Loss by epoch${trialNote}`,
      xLabel: "epoch",
      series: [series("loss", false), series("val_loss", true)],
    }),
  );
  add(
    "accuracy",
    `Accuracy by epoch${trialNote}`,
    lineChart({
      title: `Accuracy by epoch${trialNote}`,
      xLabel: "epoch",
      series: [series("accuracy", false), series("val_accuracy", true)],
    }),
  );
  const trials = trialsChart({ monitor: job.options.monitor, trials: data.trials, best: curves.trial });
  add("trials", "Trials", trials);
  for (const [split, evaluation] of [
    ["validation", data.evaluations.validation],
    ["test", data.evaluations.test],
  ] as const) {
    if (!evaluation) continue;
    const shown = chartedClasses(evaluation, job.labels.length);
    const of =
      shown.length < job.labels.length
        ? ` (${shown.length} of ${job.labels.length} classes, most confused)`
        : "";
    const title = `Confusion matrix, ${split}${of}`;
    add(
      split === "validation" ? "confusion-matrix" : "confusion-matrix-test",
      title,
      confusionMatrixChart({
        title,
        labels: shown.map((c) => job.labels[c]!),
        matrix: shown.map((r) => shown.map((c) => evaluation.confusionMatrix[r]?.[c] ?? 0)),
      }),
    );
  }
  const main = data.evaluations.validation ?? data.evaluations.test;
  if (main) {
    const split = data.evaluations.validation ? "validation" : "test";
    const shown = chartedClasses(main, job.labels.length);
    const title = `Precision, recall and F1 per class, ${split}`;
    add(
      "per-class",
      title,
      perClassChart({ title, classes: shown.map((c) => main.perClass[c]!).filter(Boolean) }),
    );
    if (main.reliability) {
      const reliabilityTitle = `Reliability, ${split}`;
      add(
        "reliability",
        reliabilityTitle,
        reliabilityChart({
          title: reliabilityTitle,
          bins: main.reliability,
          calibrationError: main.calibrationError,
        }),
      );
    }
  }
  const mistakesTitle = "Most confident mistakes";
  add(
    "misclassified",
    mistakesTitle,
    thumbnailSheet({
      title: mistakesTitle,
      items: data.misclassified.map((mistake) => ({
        href: thumbnails.get(mistake.sampleId) ?? null,
        caption: `${mistake.actual} → ${mistake.predicted}`,
        detail: `${(mistake.confidence * 100).toFixed(1)} % · ${mistake.split}`,
      })),
    }),
  );
  add(
    "lineage",
    "Lineage",
    lineageChart({
      title: "Lineage",
      dataset: node("dataset version", data.lineage.datasetVersion),
      base: node("base model", data.lineage.baseModelVersion),
      result: node("trained version", data.lineage.resultModelVersion),
    }),
  );
  return charts;
}

function node(role: string, entry: LineageEntry | null): LineageNode {
  return entry
    ? { role, name: `${entry.name} ${entry.version}`, detail: entry.id }
    : { role, name: "deleted", detail: "no longer stored" };
}

/**
 * Class indexes to chart: all of them up to maxChartedClasses, else those with the most
 * mistakes (as true or as predicted class), in label order.
 */
export function chartedClasses(evaluation: EvaluationData, classes: number): number[] {
  const all = Array.from({ length: classes }, (_, c) => c);
  if (classes <= maxChartedClasses) return all;
  const matrix = evaluation.confusionMatrix;
  const mistakes = all.map((c) => {
    let total = 0;
    for (let other = 0; other < classes; other++) {
      if (other === c) continue;
      total += (matrix[c]?.[other] ?? 0) + (matrix[other]?.[c] ?? 0);
    }
    return total;
  });
  return [...all]
    .sort((a, b) => mistakes[b]! - mistakes[a]! || a - b)
    .slice(0, maxChartedClasses)
    .sort((a, b) => a - b);
}
