import type { StoredJobEvaluation, StoredSampleResults } from "../training-rows";

/** A job's stored per-sample results by split (null: none kept). */
export type SplitSampleResults = Partial<Record<EvaluatedSplit, StoredSampleResults | null>>;

export type EvaluatedSplit = "validation" | "test";
export const evaluatedSplits: readonly EvaluatedSplit[] = ["validation", "test"];

/** One evaluated sample: label indexes into the job's labels. */
export interface SampleResult {
  sampleId: string;
  split: EvaluatedSplit;
  actual: number;
  predicted: number;
  confidence: number;
}

/** What the job's final evaluation kept per sample. */
export function splitSampleResults(evaluation: StoredJobEvaluation | null): SplitSampleResults {
  return { validation: evaluation?.validation?.samples ?? null, test: evaluation?.test?.samples ?? null };
}

/** The stored per-sample results, validation first; none on jobs trained before they were kept. */
export function sampleResults(stored: SplitSampleResults, only?: EvaluatedSplit): SampleResult[] {
  return evaluatedSplits
    .filter((split) => !only || split === only)
    .flatMap((split) => expand(split, stored[split] ?? undefined));
}

function expand(split: EvaluatedSplit, stored: StoredSampleResults | undefined): SampleResult[] {
  if (!stored) return [];
  return stored.sampleIds.map((sampleId, index) => ({
    sampleId,
    split,
    actual: stored.actual[index]!,
    predicted: stored.predicted[index]!,
    confidence: stored.confidence[index]!,
  }));
}

/**
 * The samples of one confusion-matrix cell, worst first: a mistake is worse the more confident
 * it was; on the diagonal (right answers) the least confident come first. Ties keep the stored
 * order (validation before test, then the split's order).
 */
export function cellSamples(
  results: readonly SampleResult[],
  actual: number,
  predicted: number,
  first: number,
): SampleResult[] {
  const sign = actual === predicted ? 1 : -1;
  return results
    .map((result, position) => ({ result, position }))
    .filter(({ result }) => result.actual === actual && result.predicted === predicted)
    .sort((a, b) => sign * (a.result.confidence - b.result.confidence) || a.position - b.position)
    .slice(0, first)
    .map(({ result }) => result);
}

/** The most confident mistakes across every cell, worst first. */
export function worstMistakes(results: readonly SampleResult[], count: number): SampleResult[] {
  return results
    .map((result, position) => ({ result, position }))
    .filter(({ result }) => result.actual !== result.predicted)
    .sort((a, b) => b.result.confidence - a.result.confidence || a.position - b.position)
    .slice(0, count)
    .map(({ result }) => result);
}
