/**
 * The GraphQL documents the CLI sends, and the shapes of their answers. The CLI is an ordinary
 * client of the public API: it imports nothing of the server's schema.
 */

const EVALUATION_FIELDS = `
  split count accuracy loss labels calibrationError confusionMatrix
  perClass { label precision recall f1 support }`;

const VERSION_FIELDS = `id version model { slug owner { handle } }`;

const JOB_FIELDS = `
  id status progress currentEpoch totalEpochs targetModelSlug labels error
  options { epochs enableHyperparameterTuning strategy maxTrials monitor }`;

export const START_TRAINING = `
  mutation StartTraining($input: TrainingInput!) { startTraining(input: $input) { ${JOB_FIELDS} } }`;

export const CANCEL_TRAINING = `
  mutation CancelTraining($id: ID!) { cancelTraining(id: $id) { id status cancelRequested } }`;

export const FINISHED_JOB = `
  query FinishedJob($id: ID!) {
    trainingJob(id: $id) {
      ${JOB_FIELDS}
      splitCounts { train validation test }
      evaluation { ${EVALUATION_FIELDS} }
      testEvaluation { ${EVALUATION_FIELDS} }
      trials { number status objective bestEpoch epochsRun params { name value choice } }
      resultModelVersion { ${VERSION_FIELDS} }
    }
  }`;

export const TRAINING_PROGRESS = `
  subscription TrainingProgress($jobId: ID!) {
    trainingProgress(jobId: $jobId) {
      __typename
      ... on TrainingProgressEvent { seq at status phase trial epoch totalEpochs step totalSteps progress }
      ... on TrainingMetricsEvent { seq at trial epoch values { name value } }
      ... on TrialEvent { seq at trial state objective epochsRun params { name value choice } }
      ... on TrainingCompletedEvent {
        seq at evaluation { accuracy loss } resultModelVersion { ${VERSION_FIELDS} }
      }
      ... on TrainingFailedEvent { seq at status reason }
    }
  }`;

export type JobStatus = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";
export type Phase = "QUEUED" | "FEATURES" | "TRAINING" | "EXPORTING";

export interface StartedJob {
  id: string;
  status: JobStatus;
  progress: number;
  currentEpoch: number;
  totalEpochs: number;
  targetModelSlug: string;
  labels: string[];
  error: string | null;
  options: {
    epochs: number;
    enableHyperparameterTuning: boolean;
    strategy: string;
    maxTrials: number;
    monitor: string;
  };
}

export interface TrialParam {
  name: string;
  value: number | null;
  choice: string | null;
}

export interface Evaluation {
  split: string;
  count: number;
  accuracy: number;
  loss: number;
  labels: string[];
  calibrationError: number;
  confusionMatrix: number[][];
  perClass: Array<{ label: string; precision: number; recall: number; f1: number; support: number }>;
}

export interface RegisteredVersion {
  id: string;
  version: string;
  model: { slug: string; owner: { handle: string } };
}

export interface FinishedJob extends StartedJob {
  splitCounts: { train: number; validation: number; test: number } | null;
  evaluation: Evaluation | null;
  testEvaluation: Evaluation | null;
  trials: Array<{
    number: number;
    status: string;
    objective: number | null;
    bestEpoch: number | null;
    epochsRun: number;
    params: TrialParam[];
  }>;
  resultModelVersion: RegisteredVersion | null;
}

interface EventBase {
  seq: number;
  at: string;
}

export type TrainingEvent = EventBase &
  (
    | {
        __typename: "TrainingProgressEvent";
        status: JobStatus;
        phase: Phase;
        trial: number;
        epoch: number;
        totalEpochs: number;
        step: number;
        totalSteps: number;
        progress: number;
      }
    | {
        __typename: "TrainingMetricsEvent";
        trial: number;
        epoch: number;
        values: Array<{ name: string; value: number }>;
      }
    | {
        __typename: "TrialEvent";
        trial: number;
        state: string;
        objective: number | null;
        epochsRun: number;
        params: TrialParam[];
      }
    | {
        __typename: "TrainingCompletedEvent";
        evaluation: { accuracy: number; loss: number } | null;
        resultModelVersion: RegisteredVersion | null;
      }
    | { __typename: "TrainingFailedEvent"; status: "FAILED" | "CANCELLED"; reason: string }
  );

export const isFinalEvent = (event: TrainingEvent) =>
  event.__typename === "TrainingCompletedEvent" || event.__typename === "TrainingFailedEvent";
