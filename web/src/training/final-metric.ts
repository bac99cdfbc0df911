import { formatFraction } from "../ui/format";
import { formatLoss } from "./format-loss";

/** The stored metric names in words (the API names them as the tier does: val_loss, …). */
const metricWords: Record<string, string> = {
  loss: "training loss",
  accuracy: "training accuracy",
  val_loss: "validation loss",
  val_accuracy: "validation accuracy",
};

export function metricWord(name: string): string {
  return metricWords[name] ?? name;
}

/** A metric's value as people compare it: losses to four decimals, accuracies as percentages. */
export function formatMetric(name: string, value: number | null | undefined): string {
  return name.endsWith("accuracy") ? formatFraction(value) : formatLoss(value);
}

/** "validation loss 0.3100", or "—" before any trial succeeded. */
export function formatFinalMetric(metric: { name: string; value: number } | null | undefined): string {
  return metric ? `${metricWord(metric.name)} ${formatMetric(metric.name, metric.value)}` : "—";
}
