import { useLazyQuery } from "@apollo/client/react";
import { useId } from "react";
import { TrainingJobReportDocument } from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";
import { formatDateTime } from "../ui/format";

/** A PNG's chart name from its signed URL: `…/report/confusion-matrix.png?…` → "confusion matrix". */
export function chartName(url: string): string {
  const file = new URL(url, "http://x").pathname.split("/").at(-1) ?? "";
  return decodeURIComponent(file.replace(/\.png$/, "")).replaceAll("-", " ");
}

/**
 * The job's report: one self-contained HTML page, its JSON twin and the charts as PNGs. The
 * server renders it the first time it is asked for, so it is fetched on demand; links are signed
 * for a short while, so they are asked for again each time.
 */
export function ReportLinks({ jobId }: { jobId: string }) {
  const id = useId();
  const [load, { data, loading, error }] = useLazyQuery(TrainingJobReportDocument, {
    fetchPolicy: "network-only",
  });
  const report = data?.trainingJob?.report;
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Report</h2>
      <p className="muted">
        One HTML page with every chart, readable offline, with its data as JSON and the charts as PNG images.
      </p>
      <button
        type="button"
        onClick={() => void load({ variables: { id: jobId } }).catch(() => null)}
        disabled={loading}
      >
        {loading ? "Preparing the report…" : report ? "Get fresh links" : "Get the report"}
      </button>
      <ErrorMessage error={error} />
      {data && !report && <p role="status">No report: you cannot see this job&apos;s dataset.</p>}
      {report && (
        <div role="status">
          <p>
            <a href={report.htmlUrl} target="_blank" rel="noreferrer">
              Open the report
            </a>{" "}
            · <a href={report.jsonUrl}>JSON</a>{" "}
            <span className="muted">rendered {formatDateTime(report.generatedAt)}</span>
          </p>
          <ul className="chips" aria-label="Charts as PNG">
            {report.pngUrls.map((url) => (
              <li key={url}>
                <a className="chip" href={url} target="_blank" rel="noreferrer">
                  {chartName(url)}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
