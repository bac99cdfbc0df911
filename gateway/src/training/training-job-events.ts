import type { KindEvents } from "../jobs/kind-events";
import type { JobEventRecord } from "../jobs/job-event-subscriber";
import type { TrainingEventPayloads } from "./training-contracts";
import { toTrainingEvent, TrainingMetricsEvent, TrialEvent } from "./training-event.types";

/** The training events `jobEvents` streams besides the platform's, as their GraphQL members. */
export const trainingJobEvents: KindEvents = {
  metrics: {
    member: TrainingMetricsEvent,
    toGraphQL: (record) =>
      toTrainingEvent(
        { ...(record as JobEventRecord<"metrics", TrainingEventPayloads["metrics"]>), type: "metrics" },
        [],
      ),
  },
  trial: {
    member: TrialEvent,
    toGraphQL: (record) =>
      toTrainingEvent(
        { ...(record as JobEventRecord<"trial", TrainingEventPayloads["trial"]>), type: "trial" },
        [],
      ),
  },
};
