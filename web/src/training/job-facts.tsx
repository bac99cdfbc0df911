import { useId } from "react";
import { Link } from "react-router";
import { versionPath as datasetVersionPath } from "../datasets/datasets-routes";
import { TrainingStatus, type TrainingJobDetailQuery } from "../gql/graphql";
import { modelPath, versionPath } from "../models/model-paths";
import { formatNumber } from "../ui/format";

type Job = NonNullable<TrainingJobDetailQuery["trainingJob"]>;

/** What the job trains on, from what, into which model, and how the samples were split. */
export function JobFacts({ job }: { job: Job }) {
  const id = useId();
  const { datasetVersion: dataset, baseModelVersion: base, resultModelVersion: result, splitCounts } = job;
  return (
    <section aria-labelledby={`${id}-title`} className="panel">
      <h2 id={`${id}-title`}>Lineage</h2>
      <dl className="facts compact">
        <dt>Dataset version</dt>
        <dd>
          {dataset ? (
            <Link to={datasetVersionPath(dataset.dataset.id, dataset.number)}>
              {dataset.dataset.name} · version {dataset.number}
            </Link>
          ) : (
            <span className="muted">deleted, or not visible to you</span>
          )}
        </dd>
        <dt>Base model</dt>
        <dd>
          {base ? (
            <Link to={versionPath(base.model.owner.handle, base.model.slug, base.version)}>
              {base.model.owner.handle}/{base.model.slug} {base.version}
            </Link>
          ) : (
            <span className="muted">deleted, or not visible to you</span>
          )}
        </dd>
        <dt>Target model</dt>
        <dd>
          <Link to={modelPath(job.owner.handle, job.targetModelSlug)}>
            {job.owner.handle}/{job.targetModelSlug}
          </Link>
        </dd>
        <dt>Resulting version</dt>
        <dd>
          {result ? (
            <Link to={versionPath(result.model.owner.handle, result.model.slug, result.version)}>
              {result.model.owner.handle}/{result.model.slug} {result.version}
            </Link>
          ) : (
            <span className="muted">{noResultNote(job.status, job.cancelRequested)}</span>
          )}
        </dd>
        {splitCounts && (
          <>
            <dt>Samples</dt>
            <dd>
              {formatNumber(splitCounts.train)} train · {formatNumber(splitCounts.validation)} validation
              {splitCounts.validationFrom === "dataset" ? " (the dataset's own)" : ""}
              {splitCounts.test > 0 ? ` · ${formatNumber(splitCounts.test)} test` : ""}
            </dd>
          </>
        )}
        {job.labels.length > 0 && (
          <>
            <dt>Classes ({job.labels.length})</dt>
            <dd>{job.labels.join(", ")}</dd>
          </>
        )}
      </dl>
    </section>
  );
}

/** Why a job shows no resulting version, in the words of its status. */
export function noResultNote(status: TrainingStatus, cancelRequested: boolean): string {
  switch (status) {
    case TrainingStatus.Queued:
    case TrainingStatus.Running:
      return cancelRequested ? "none: the job is being cancelled" : "registered when the job succeeds";
    case TrainingStatus.Succeeded:
      return "deleted, or not visible to you";
    case TrainingStatus.Failed:
      return "none: the job failed, so nothing was registered";
    case TrainingStatus.Cancelled:
      return "none: the job was cancelled, so nothing was registered";
  }
}
