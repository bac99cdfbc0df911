import type { TrainingComparisonJobQuery } from "../../gql/graphql";
import { sortTrialsByObjective } from "../trial-order";

export type ComparedJob = NonNullable<TrainingComparisonJobQuery["trainingJob"]>;

/** One trial of one compared job: what a curve, a table row and a parallel line are drawn from. */
export interface ComparedTrial {
  key: string;
  jobId: string;
  /** "ada/colours · trial 2" (a job's slug repeated among the compared gets "#2", "#3"). */
  label: string;
  /** Index of its job among the compared: its colour. */
  jobIndex: number;
  number: number;
  status: string;
  objective: number | null;
  bestEpoch: number | null;
  /** The options the trial trained with: the job's, with the trial's searched values over them. */
  parameters: Record<string, number | string>;
  /** Each metric's history, epoch 1 first: [epoch, value]. */
  curves: Record<string, Array<[number, number]>>;
}

export const trialKey = (jobId: string, trial: number) => `${jobId}:${trial}`;

/** The options a comparison lines up (searchable ones and those that shape training). */
export const comparedOptions = [
  "learningRate",
  "epochs",
  "batchSize",
  "optimizer",
  "momentum",
  "weightDecay",
  "dropout",
  "trainableLayersCount",
  "hiddenUnits",
  "lrSchedule",
  "augmentedCopies",
  "classWeighting",
  "validationSplit",
  "seed",
] as const;

export const comparedMetrics = ["loss", "val_loss", "accuracy", "val_accuracy"] as const;

function jobLabels(jobs: readonly ComparedJob[]): string[] {
  const seen = new Map<string, number>();
  return jobs.map((job) => {
    const name = `${job.owner.handle}/${job.targetModelSlug}`;
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name} #${count}`;
  });
}

/** Every trial of every job, the jobs in the order given, each job's trials best first. */
export function comparedTrials(jobs: readonly ComparedJob[]): ComparedTrial[] {
  const labels = jobLabels(jobs);
  return jobs.flatMap((job, jobIndex) =>
    sortTrialsByObjective(job.trials, job.options.monitor).map((trial) => {
      const parameters: Record<string, number | string> = {};
      for (const name of comparedOptions) parameters[name] = job.options[name];
      for (const param of trial.params) {
        const value = param.choice ?? param.value;
        if (value !== null) parameters[param.name] = value;
      }
      const curves: ComparedTrial["curves"] = {};
      for (const point of job.metrics) {
        if (point.trial !== trial.number) continue;
        (curves[point.name] ??= []).push([point.epoch, point.value]);
      }
      for (const points of Object.values(curves)) points.sort((a, b) => a[0] - b[0]);
      return {
        key: trialKey(job.id, trial.number),
        jobId: job.id,
        label: `${labels[jobIndex]} · trial ${trial.number + 1}`,
        jobIndex,
        number: trial.number,
        status: trial.status,
        objective: trial.objective,
        bestEpoch: trial.bestEpoch,
        parameters,
        curves,
      };
    }),
  );
}

/** What a comparison starts with: each job's best trial (its first, being sorted best first). */
export function initialSelection(trials: readonly ComparedTrial[]): string[] {
  const firsts = new Map<string, string>();
  for (const trial of trials) if (!firsts.has(trial.jobId)) firsts.set(trial.jobId, trial.key);
  return [...firsts.values()];
}

/** The compared options whose values differ among these trials, in comparedOptions order. */
export function differingOptions(trials: readonly ComparedTrial[]): string[] {
  return comparedOptions.filter(
    (name) => new Set(trials.map((trial) => String(trial.parameters[name] ?? ""))).size > 1,
  );
}

/** A metric at the trial's best epoch (else its last recorded one); null when never recorded. */
export function metricAtBest(trial: ComparedTrial, metric: string): number | null {
  const curve = trial.curves[metric] ?? [];
  const atBest = curve.find(([epoch]) => epoch === trial.bestEpoch);
  return (atBest ?? curve.at(-1))?.[1] ?? null;
}
