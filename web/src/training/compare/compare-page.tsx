import { useId, useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { useDocumentTitle } from "../../layout/use-document-title";
import { Chart } from "../../ui/chart";
import { EmptyState } from "../../ui/empty-state";
import { ErrorMessage } from "../../ui/error-message";
import { PageHeader } from "../../ui/page-header";
import { Skeleton } from "../../ui/skeleton";
import { formatFinalMetric } from "../final-metric";
import { comparedJobIds, trainingJobPath, trainingPath } from "../training-paths";
import { overlaidCurvesOption, parallelAxes, parallelOption, jobColours } from "./compare-chart-options";
import { comparedTrials, differingOptions, initialSelection, type ComparedTrial } from "./compared-trials";
import { ComparisonTable } from "./comparison-table";
import { useComparedJobs } from "./use-compared-jobs";

const crumbs = [{ label: "Training", to: trainingPath }];

/** Jobs side by side: pick trials, see their curves overlaid, their options and metrics, and every trial in parallel coordinates. */
export default function ComparePage() {
  useDocumentTitle("Compare training jobs");
  const [params] = useSearchParams();
  const ids = comparedJobIds(params);
  const { jobs, missing, loading, error } = useComparedJobs(ids);
  const trials = useMemo(() => comparedTrials(jobs), [jobs]);
  if (ids.length === 0) {
    return (
      <>
        <PageHeader title="Compare training jobs" crumbs={crumbs} />
        <EmptyState title="No jobs picked">
          Tick jobs in the <Link to={trainingPath}>training list</Link>, then choose Compare.
        </EmptyState>
      </>
    );
  }
  return (
    <>
      <PageHeader title="Compare training jobs" crumbs={crumbs} />
      <ErrorMessage error={error} />
      {missing.length > 0 && (
        <p className="muted" role="status">
          {missing.length === 1 ? "One job" : `${missing.length} jobs`} could not be found: deleted, or you
          cannot see
          {missing.length === 1 ? " it" : " them"}.
        </p>
      )}
      {loading ? (
        <Skeleton lines={8} label="Loading the jobs to compare" />
      ) : (
        <Comparison jobs={jobs} trials={trials} key={trials.map((trial) => trial.key).join(",")} />
      )}
    </>
  );
}

function Comparison({
  jobs,
  trials,
}: {
  jobs: ReturnType<typeof useComparedJobs>["jobs"];
  trials: ComparedTrial[];
}) {
  const id = useId();
  const [selected, setSelected] = useState(() => new Set(initialSelection(trials)));
  const picked = useMemo(() => trials.filter((trial) => selected.has(trial.key)), [trials, selected]);
  const options = differingOptions(picked.length > 1 ? picked : trials);
  const axes = useMemo(() => parallelAxes(trials, differingOptions(trials)), [trials]);
  const toggle = (key: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });
  const lossOption = useMemo(
    () => overlaidCurvesOption(picked, "val_loss", "Validation loss of the selected trials"),
    [picked],
  );
  const accuracyOption = useMemo(
    () => overlaidCurvesOption(picked, "val_accuracy", "Validation accuracy of the selected trials"),
    [picked],
  );
  const parallel = useMemo(
    () => parallelOption(trials, axes, selected, "Every trial's options and metrics"),
    [trials, axes, selected],
  );
  if (jobs.length === 0)
    return <EmptyState title="Nothing to compare">None of the picked jobs can be shown.</EmptyState>;
  return (
    <>
      <section aria-labelledby={`${id}-trials`}>
        <h2 id={`${id}-trials`}>Trials</h2>
        <div className="compare-jobs">
          {jobs.map((job, index) => (
            <fieldset
              key={job.id}
              className="compare-job"
              style={{ borderColor: jobColours[index % jobColours.length] }}
            >
              <legend>
                <Link to={trainingJobPath(job.id)}>
                  {job.owner.handle}/{job.targetModelSlug}
                </Link>{" "}
                <span className="muted">{formatFinalMetric(job.finalMetric)}</span>
              </legend>
              {trials
                .filter((trial) => trial.jobId === job.id)
                .map((trial) => (
                  <span key={trial.key} className="field-checkbox">
                    <input
                      id={`${id}-${trial.key}`}
                      type="checkbox"
                      checked={selected.has(trial.key)}
                      onChange={(event) => toggle(trial.key, event.target.checked)}
                    />
                    <label htmlFor={`${id}-${trial.key}`}>{trial.label}</label>
                  </span>
                ))}
              {job.trials.length === 0 && <span className="muted">No trials yet</span>}
            </fieldset>
          ))}
        </div>
      </section>
      <section aria-labelledby={`${id}-curves`}>
        <h2 id={`${id}-curves`}>Curves</h2>
        {picked.length === 0 ? (
          <EmptyState title="No trial selected">Tick trials above to overlay their curves.</EmptyState>
        ) : (
          <div className="two-columns">
            <Chart option={lossOption} label="Validation loss of the selected trials" />
            <Chart option={accuracyOption} label="Validation accuracy of the selected trials" />
          </div>
        )}
      </section>
      <section aria-labelledby={`${id}-table`}>
        <h2 id={`${id}-table`}>Parameters and metrics</h2>
        <ComparisonTable trials={picked} options={options} />
      </section>
      <section aria-labelledby={`${id}-parallel`}>
        <h2 id={`${id}-parallel`}>All trials</h2>
        <p className="muted">
          One line per trial through the options that differ and its validation metrics; selected trials bold.
        </p>
        <Chart
          option={parallel}
          label="Every trial's options and metrics in parallel coordinates"
          height={360}
        />
      </section>
    </>
  );
}
