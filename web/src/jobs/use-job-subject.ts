import { useQuery } from "@apollo/client/react";
import { versionPath } from "../datasets/dataset-paths";
import { JobDatasetVersionSubjectDocument, JobTrainingSubjectDocument } from "../gql/graphql";
import { trainingJobPath } from "../training/training-paths";
import { jobTarget } from "./job-kinds";

/** What a job works on, as a person names it, and the page that shows it. */
export interface JobSubject {
  /** "ada/flowers" for a training job, "flowers v3" for a dataset version; null until known. */
  name: string | null;
  /** Where it lives in the dashboard; null until known or when the kind has no page. */
  path: string | null;
  /** Still being looked up. */
  loading: boolean;
  /** It was deleted (or cannot be seen), so there is nothing to link to. */
  gone: boolean;
}

/**
 * Looks up what the job's payload points at (a training job, a dataset version). Each is read
 * once and then comes from the cache, so a list of jobs on the same version asks once.
 */
export function useJobSubject(job: { id: string; kind: string; payload: unknown }): JobSubject {
  const target = jobTarget(job);
  const training = useQuery(JobTrainingSubjectDocument, {
    variables: { id: target.kind === "training-job" ? target.trainingJobId : "" },
    skip: target.kind !== "training-job",
  });
  const version = useQuery(JobDatasetVersionSubjectDocument, {
    variables: { id: target.kind === "dataset-version" ? target.datasetVersionId : "" },
    skip: target.kind !== "dataset-version",
  });

  if (target.kind === "training-job") {
    const found = training.data?.trainingJob;
    return {
      name: found ? `${found.owner.handle}/${found.targetModelSlug}` : null,
      // The page exists as long as the job does; it says so itself when it is gone.
      path: trainingJobPath(target.trainingJobId),
      loading: training.loading && !training.data,
      gone: training.data !== undefined && !found,
    };
  }
  if (target.kind === "dataset-version") {
    const found = version.data?.datasetVersion;
    return {
      name: found ? `${found.dataset.name} v${found.number}` : null,
      path: found ? versionPath(found.dataset.id, found.number) : null,
      loading: version.loading && !version.data,
      gone: version.data !== undefined && !found,
    };
  }
  return { name: null, path: null, loading: false, gone: false };
}
