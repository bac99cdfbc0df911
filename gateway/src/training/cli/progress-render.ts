import { secondsLeft, type ProgressState } from "./progress-state";
import type { StartedJob, TrainingEvent, TrialParam } from "./training-documents";

/** The metrics the progress bar and the epoch lines show, with their short labels. */
const shownMetrics: ReadonlyArray<readonly [name: string, label: string]> = [
  ["loss", "loss"],
  ["accuracy", "acc"],
  ["val_loss", "val_loss"],
  ["val_accuracy", "val_acc"],
];

const BAR_WIDTH = 20;
const NARROW_BAR_WIDTH = 10;

export const QUEUED_LINE = "queued, waiting for a worker";

/** 42s, 3m05s, 1h02m. */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return `${total}s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes}m${String(total % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

/** Four decimals for losses and accuracies; three significant digits for anything small. */
export function formatMetric(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && Math.abs(value) < 0.001) return value.toExponential(2);
  return value.toFixed(4);
}

/** 0.00123 → "0.00123", 128 → "128", 0.2 → "0.2"; optimizer choices as they are. */
export function formatParams(params: readonly TrialParam[]): string {
  return params
    .map(
      ({ name, value, choice }) =>
        `${name} ${choice ?? (value === null ? "?" : String(Number(value.toPrecision(3))))}`,
    )
    .join(", ");
}

function bar(fraction: number, width = BAR_WIDTH): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${"█".repeat(filled)}${"░".repeat(width - filled)}]`;
}

/**
 * The line a terminal redraws in place: where the job is, its metrics and the time left. On a
 * narrow terminal the bar shrinks, then the training metrics go (validation and ETA matter
 * most), then the line is cut.
 */
export function progressLine(state: ProgressState, now: number, columns = 120): string {
  const width = columns - 1;
  const percent = `${String(Math.floor(state.progress * 100)).padStart(3)}%`;
  if (state.status === "QUEUED" || state.phase === "QUEUED") {
    return truncate(`${QUEUED_LINE}  ${bar(state.progress)} ${percent}`, width);
  }
  const where: string[] = [];
  if (state.plannedTrials > 1) where.push(`trial ${state.trial + 1}/${state.plannedTrials}`);
  if (state.phase === "FEATURES") {
    where.push(state.totalSteps > 0 ? `features ${state.step}/${state.totalSteps}` : "extracting features");
  } else if (state.phase === "EXPORTING") {
    where.push("exporting the model");
  } else {
    where.push(`epoch ${state.epoch}/${state.totalEpochs}`);
  }
  const metric = ([name, label]: readonly [string, string]) => {
    const value = state.metrics[name];
    return value === undefined ? [] : [`${label} ${formatMetric(value)}`];
  };
  const training = shownMetrics.slice(0, 2).flatMap(metric);
  const validation = shownMetrics.slice(2).flatMap(metric);
  const left = secondsLeft(state, now);
  const eta = `ETA ${left === null ? "--" : formatDuration(left)}`;
  const candidates = [
    [...where, `${bar(state.progress)} ${percent}`, ...training, ...validation, eta],
    [...where, `${bar(state.progress, NARROW_BAR_WIDTH)} ${percent}`, ...training, ...validation, eta],
    [...where, `${bar(state.progress, NARROW_BAR_WIDTH)} ${percent}`, ...validation, eta],
    [...where, percent.trimStart(), ...validation, eta],
  ].map((parts) => parts.join("  "));
  return truncate(candidates.find((line) => line.length <= width) ?? candidates.at(-1)!, width);
}

function truncate(line: string, width: number): string {
  return line.length <= width ? line : `${line.slice(0, Math.max(0, width - 1))}…`;
}

export function startedLine(job: StartedJob, url: string): string {
  const search = job.options.enableHyperparameterTuning
    ? `, ${job.options.strategy} search over up to ${job.options.maxTrials} trials`
    : "";
  return (
    `Started training job ${job.id} on ${url}: ${job.labels.length} classes, ` +
    `up to ${job.options.epochs} epochs${search}, result → ${job.targetModelSlug}`
  );
}

/**
 * The line an event is worth keeping in the output (above the progress bar on a terminal), or
 * null. `before` is the state the event arrived in; `phaseLines` adds a line whenever the job
 * changes phase, for outputs without a progress bar.
 */
export function eventLine(before: ProgressState, event: TrainingEvent, phaseLines: boolean): string | null {
  const trial = (number: number) =>
    before.plannedTrials > 1 ? `trial ${number + 1}/${before.plannedTrials} ` : "";
  switch (event.__typename) {
    case "TrainingProgressEvent": {
      if (!phaseLines) return null;
      const changed =
        event.status !== before.status || event.phase !== before.phase || event.trial !== before.trial;
      if (!changed) return null;
      if (event.status === "QUEUED") return QUEUED_LINE;
      if (event.phase === "FEATURES") return `${trial(event.trial)}extracting features`.trimEnd();
      if (event.phase === "TRAINING") return `${trial(event.trial)}training`.trimEnd();
      if (event.phase === "EXPORTING") return "exporting the trained model";
      return null;
    }
    case "TrainingMetricsEvent": {
      const values = new Map(event.values.map(({ name, value }) => [name, value]));
      const parts = [`${trial(event.trial)}epoch ${event.epoch}/${before.totalEpochs}`];
      for (const [name, label] of shownMetrics) {
        const value = values.get(name);
        if (value !== undefined) parts.push(`${label} ${formatMetric(value)}`);
      }
      const rate = values.get("learning_rate");
      if (rate !== undefined) parts.push(`lr ${Number(rate.toPrecision(3))}`);
      const seconds = values.get("epoch_seconds");
      if (seconds !== undefined) parts.push(`${seconds.toFixed(1)}s`);
      return parts.join("  ");
    }
    case "TrialEvent": {
      if (before.plannedTrials <= 1) return null;
      const params = event.params.length ? ` (${formatParams(event.params)})` : "";
      if (event.state === "RUNNING") return `${trial(event.trial)}started${params}`;
      if (event.state === "PENDING") return null;
      const objective = event.objective === null ? "" : `: objective ${formatMetric(event.objective)}`;
      return `${trial(event.trial)}${event.state}${objective} after ${event.epochsRun} epochs${params}`;
    }
    case "TrainingCompletedEvent":
    case "TrainingFailedEvent":
      return null;
  }
}
