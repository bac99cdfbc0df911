import { exponentialBackoff, type JobKind } from "../../jobs/job-kind";

export interface AdjustmentJobPayload {
  modelVersionId: string;
}

export const FIT_ADJUSTMENT_JOB = "fit-feedback-adjustment";

/**
 * Refits a model version's feedback adjustment. Queued by recordFeedback when the version has
 * enough labelled feedback, at most one QUEUED per version (the queued one reads all feedback
 * when it runs, so later feedback needs no job of its own).
 */
export const adjustmentJobKind: JobKind<AdjustmentJobPayload> = {
  name: FIT_ADJUSTMENT_JOB,
  graphqlName: "FIT_FEEDBACK_ADJUSTMENT",
  description: "Fits and cross-validates a model version's correction from its labelled feedback",
  payloadVersion: 1,
  readPayload(stored) {
    const { modelVersionId } = stored as Partial<AdjustmentJobPayload>;
    if (typeof modelVersionId !== "string")
      throw new Error("A fit-feedback-adjustment payload names its version");
    return { modelVersionId };
  },
  maxAttempts: 3,
  retryDelayMs: exponentialBackoff(5_000, 60_000),
  checkpoint: "none: a fit takes seconds at most and starts over",
  eventTypes: [],
};
