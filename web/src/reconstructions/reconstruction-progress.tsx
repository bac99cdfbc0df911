import { useId, useMemo } from "react";
import { JobStatus } from "../gql/graphql";
import { JobStatusBadge } from "../jobs/job-status";
import { Chart } from "../ui/chart";
import { EmptyState } from "../ui/empty-state";
import type { LiveReconstructionView } from "./use-live-reconstruction";
import { mergeSteps, type StepPoint } from "./live-reconstruction";
import { formatLoss, formatPsnr, psnrChartOption } from "./psnr-chart-option";

const CHART_TITLE = "Held-out PSNR and loss per step";

/**
 * Where the run stands (status, step, loss), the latest preview render — which sharpens as the
 * field converges — and the PSNR curve, all from the live stream.
 */
export function ReconstructionProgress({
  status,
  progress,
  error,
  previewUrl,
  finishedAtFirst,
  history,
  historyTotalSteps,
  live,
}: {
  status: JobStatus;
  progress: number;
  error: string | null;
  previewUrl: string | null;
  /** It had ended before the page opened: there is no stream to follow. */
  finishedAtFirst: boolean;
  /** The steps stored when the page read the reconstruction (the curve so far). */
  history: readonly StepPoint[];
  historyTotalSteps: number | null;
  live: LiveReconstructionView;
}) {
  const id = useId();
  const shownStatus = live.status ?? status;
  const fraction = shownStatus === JobStatus.Succeeded ? 1 : Math.max(live.progress ?? 0, progress);
  const percent = Math.round(fraction * 100);
  const points = useMemo(() => mergeSteps(history, live.points), [history, live.points]);
  const totalSteps = live.totalSteps ?? historyTotalSteps;
  const latest = points.at(-1);
  // Not every step measures everything: show the newest figure of each.
  const newest = [...points].reverse();
  const latestLoss = newest.find((point) => point.loss !== null)?.loss ?? null;
  const latestPsnr = newest.find((point) => point.psnr !== null)?.psnr ?? null;
  const preview = live.preview?.url ?? previewUrl;
  const option = useMemo(() => psnrChartOption(points, totalSteps, CHART_TITLE), [points, totalSteps]);
  const reason = live.error ?? error;

  return (
    <>
      <div className="two-columns">
        <section className="panel" aria-labelledby={`${id}-title`}>
          <div className="section-header">
            <h2 id={`${id}-title`}>Progress</h2>
            <JobStatusBadge status={shownStatus} />
          </div>
          <div className="progress-row">
            <progress max={100} value={percent} aria-label="Reconstruction progress" />
            <span className="progress-figure">{percent}%</span>
          </div>
          <p aria-live="polite" data-testid="reconstruction-step">
            {latest
              ? `Step ${latest.step.toLocaleString()}${totalSteps ? ` of ${totalSteps.toLocaleString()}` : ""} · loss ${formatLoss(latestLoss)} · held-out PSNR ${formatPsnr(latestPsnr)}`
              : shownStatus === JobStatus.Queued
                ? "Waiting for a worker."
                : finishedAtFirst
                  ? "Finished."
                  : "No step reported yet."}
          </p>
          {live.reconnecting && <p className="muted">The live stream dropped; reconnecting…</p>}
          {reason && (
            <p className="error-message" role="alert">
              {reason}
            </p>
          )}
        </section>
        <section className="panel" aria-labelledby={`${id}-preview`}>
          <h2 id={`${id}-preview`}>Preview</h2>
          {preview ? (
            <figure className="reconstruction-preview">
              <img
                src={preview}
                alt={`Render of the field${live.preview ? ` at step ${live.preview.step}` : ""}`}
              />
              {live.preview && (
                <figcaption className="muted">Step {live.preview.step.toLocaleString()}</figcaption>
              )}
            </figure>
          ) : (
            <p className="muted">
              {finishedAtFirst
                ? "No preview render was stored."
                : "The first preview render appears after a few hundred steps."}
            </p>
          )}
        </section>
      </div>
      <section aria-labelledby={`${id}-chart`}>
        <h2 id={`${id}-chart`}>Held-out PSNR</h2>
        {points.length === 0 ? (
          finishedAtFirst ? (
            <p className="muted">No step was recorded.</p>
          ) : (
            <EmptyState title="No steps yet">
              The curve grows here as the field is optimised, live.
            </EmptyState>
          )
        ) : (
          <Chart option={option} label={CHART_TITLE} height={280} />
        )}
      </section>
    </>
  );
}
