/**
 * Every kind of background job and the payload it carries. A job carries only ids: the row it
 * names (dataset version, training job) is the truth, so a retried job reads the current state.
 * Features add their kind here.
 */
export interface JobPayloads {
  "embed-dataset-version": { runId: string };
  "train-model": { trainingJobId: string };
}

export type JobKind = keyof JobPayloads;

/** How a kind of job is retried and how long one run may take before it counts as crashed. */
export interface JobKindOptions {
  /** Retries after the first attempt. */
  retryLimit?: number;
  /** Delay before the first retry; with `retryBackoff` it doubles each time (with jitter). */
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
  /**
   * A run still active after this long is failed (and retried) by the queue's maintenance. This is
   * also how a job held by a worker that died comes back, so keep it near the longest honest run.
   */
  expireInSeconds?: number;
}

export const defaultJobKindOptions: Required<JobKindOptions> = {
  retryLimit: 3,
  retryDelaySeconds: 5,
  retryBackoff: true,
  expireInSeconds: 15 * 60,
};

export const jobKindOptions: Record<JobKind, JobKindOptions> = {
  "embed-dataset-version": { retryLimit: 5, expireInSeconds: 60 * 60 },
  "train-model": { retryLimit: 2, expireInSeconds: 6 * 60 * 60 },
};
