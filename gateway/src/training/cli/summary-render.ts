import { formatDuration, formatMetric, formatParams } from "./progress-render";
import type { Evaluation, FinishedJob, RegisteredVersion } from "./training-documents";

/** Confusion matrices with more classes than this would wrap on a terminal; the table says enough. */
const MAX_MATRIX_CLASSES = 12;

/** What the CLI prints when a job has ended. */
export function summary(job: FinishedJob, elapsedSeconds: number): string {
  const took = `after ${formatDuration(elapsedSeconds)}`;
  if (job.status === "FAILED") return `Training failed ${took}: ${job.error ?? "no reason given"}`;
  if (job.status === "CANCELLED") return `Training cancelled ${took}: ${job.error ?? "no reason given"}`;
  if (job.status !== "SUCCEEDED") return `The job is still ${job.status} ${took}`;
  const sections = [`Training succeeded ${took}.`];
  if (job.splitCounts) {
    const { train, validation, test } = job.splitCounts;
    sections.push(`Samples: ${train} train, ${validation} validation, ${test} test`);
  }
  if (job.evaluation) sections.push(evaluationReport("Validation", job.evaluation));
  if (job.testEvaluation) sections.push(evaluationReport("Test", job.testEvaluation));
  if (job.options.enableHyperparameterTuning) sections.push(searchReport(job));
  sections.push(
    job.resultModelVersion ? registeredLine(job.resultModelVersion) : "No model version was registered.",
  );
  return sections.join("\n\n");
}

function registeredLine(version: RegisteredVersion): string {
  return `Registered model version ${version.model.owner.handle}/${version.model.slug} ${version.version} (id ${version.id})`;
}

function evaluationReport(title: string, evaluation: Evaluation): string {
  const heading =
    `${title} (${evaluation.count} samples): accuracy ${formatMetric(evaluation.accuracy)}, ` +
    `loss ${formatMetric(evaluation.loss)}, calibration error ${formatMetric(evaluation.calibrationError)}`;
  const rows = evaluation.perClass.map((c) => [
    c.label,
    c.precision.toFixed(3),
    c.recall.toFixed(3),
    c.f1.toFixed(3),
    String(c.support),
  ]);
  const lines = [heading, ...table(["class", "precision", "recall", "f1", "support"], rows)];
  if (evaluation.labels.length <= MAX_MATRIX_CLASSES) {
    lines.push("", "Confusion matrix (rows: true class, columns: predicted, in the order above):");
    lines.push(
      ...table(
        ["", ...evaluation.labels.map((_, index) => String(index + 1))],
        evaluation.confusionMatrix.map((row, index) => [
          `${index + 1} ${evaluation.labels[index] ?? ""}`,
          ...row.map(String),
        ]),
      ),
    );
  }
  return lines.join("\n");
}

function searchReport(job: FinishedJob): string {
  const [best] = job.trials;
  const byStatus = new Map<string, number>();
  for (const trial of job.trials) byStatus.set(trial.status, (byStatus.get(trial.status) ?? 0) + 1);
  const counts = [...byStatus].map(([status, count]) => `${count} ${status.toLowerCase()}`).join(", ");
  const heading = `Search: ${job.trials.length} trials (${counts})`;
  if (!best) return heading;
  const objective =
    best.objective === null ? "" : ` ${job.options.monitor.toLowerCase()} ${formatMetric(best.objective)}`;
  const epoch = best.bestEpoch === null ? "" : ` at epoch ${best.bestEpoch}`;
  return `${heading}\nBest: trial ${best.number + 1},${objective}${epoch} (${formatParams(best.params)})`;
}

/** Left-aligned first column, right-aligned figures, two spaces between columns. */
function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? "").length)));
  return all.map((row) =>
    row
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[column]!)))
      .join("  ")
      .trimEnd(),
  );
}
