import type { Evaluation__Output } from "@tessera/proto/generated/tessera/training/v1/Evaluation";
import type { StoredReliabilityBin, StoredSampleResults } from "../training-rows";
import type { SplitName, TrainingSample } from "./training-samples";

/**
 * Per-sample results kept per split. A trial row and the job's evaluation are JSON in one row:
 * 10,000 samples are about 0.6 MB; past that the most telling ones are kept (every mistake,
 * most confident first, then the least confident correct answers) and the rest only counted.
 */
export const maxStoredSampleResults = 10_000;

/** Confidence is kept to 6 decimals: enough to order samples, a third of a float's JSON text. */
const round = (value: number) => Math.round(value * 1e6) / 1e6;

/**
 * The tier's per-sample results of one split joined with the job's samples of that split (the
 * tier answers in the order the request listed them). Undefined when the tier sent none, or a
 * count that does not match (an older tier): nothing is better than a wrong join.
 */
export function sampleResultsOf(
  evaluation: Evaluation__Output,
  samples: readonly TrainingSample[],
  limit = maxStoredSampleResults,
): StoredSampleResults | undefined {
  const split = evaluation.split as SplitName;
  const members = samples.filter((sample) => sample.split === split);
  const { predicted, confidence } = evaluation;
  if (predicted.length === 0 || predicted.length !== members.length || confidence.length !== members.length) {
    return undefined;
  }
  if (members.some((sample) => !sample.sampleId)) return undefined;
  const kept = keptPositions(members, predicted, confidence, limit);
  return {
    sampleIds: kept.map((index) => members[index]!.sampleId!),
    actual: kept.map((index) => members[index]!.label),
    predicted: kept.map((index) => predicted[index]!),
    confidence: kept.map((index) => round(confidence[index]!)),
    omitted: members.length - kept.length,
  };
}

/** Positions to keep, in the split's order: all of them when they fit. */
function keptPositions(
  members: readonly TrainingSample[],
  predicted: readonly number[],
  confidence: readonly number[],
  limit: number,
): number[] {
  const all = members.map((_, index) => index);
  if (all.length <= limit) return all;
  const wrong = (index: number) => predicted[index] !== members[index]!.label;
  const telling = [...all].sort((a, b) => {
    if (wrong(a) !== wrong(b)) return wrong(a) ? -1 : 1;
    const order = wrong(a) ? confidence[b]! - confidence[a]! : confidence[a]! - confidence[b]!;
    return order !== 0 ? order : a - b;
  });
  return telling.slice(0, limit).sort((a, b) => a - b);
}

export function reliabilityOf(evaluation: Evaluation__Output): StoredReliabilityBin[] | undefined {
  if (evaluation.reliability.length === 0) return undefined;
  return evaluation.reliability.map((bin) => ({
    lower: bin.lower,
    upper: bin.upper,
    count: bin.count,
    confidence: bin.mean_confidence,
    accuracy: bin.accuracy,
  }));
}
