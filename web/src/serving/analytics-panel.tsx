import { useQuery } from "@apollo/client/react";
import { useId } from "react";
import { DeploymentAnalyticsDocument, type AnalyticsWindow } from "../gql/graphql";
import { Chart } from "../ui/chart";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { FactList } from "../ui/fact-list";
import { formatDateTime, formatNumber } from "../ui/format";
import { Skeleton } from "../ui/skeleton";
import {
  batchSizeChartOption,
  countsChartHeight,
  countsChartOption,
  formatLatencyBound,
  formatRate,
  latencyChartOption,
  latencyRows,
  trafficChartOption,
  type Analytics,
} from "./analytics-charts";

/** The counts flush every few seconds on each replica: a minute's polling keeps the page current enough. */
const POLL_MS = 60_000;

/** One deployment's analytics over a window: the figures first, then the charts that break them down. */
export function AnalyticsPanel({ versionId, window }: { versionId: string; window: AnalyticsWindow }) {
  const { data, loading, error } = useQuery(DeploymentAnalyticsDocument, {
    variables: { versionId, window },
    pollInterval: POLL_MS,
    fetchPolicy: "cache-and-network",
  });
  const analytics = data?.modelVersion?.deployment?.analytics;
  if (error) return <ErrorMessage error={error} />;
  if (loading && !analytics) return <Skeleton lines={8} label="Loading analytics" />;
  if (!analytics) return <EmptyState title="Not deployed">This version has no deployment now.</EmptyState>;
  return <AnalyticsView analytics={analytics} />;
}

export function AnalyticsView({ analytics }: { analytics: Analytics }) {
  const id = useId();
  const errorCount = analytics.errors.reduce((sum, entry) => sum + entry.count, 0);
  return (
    <section aria-labelledby={`${id}-title`} className="serving-analytics">
      <h2 id={`${id}-title`} className="visually-hidden">
        Analytics
      </h2>
      <p className="muted">
        From {formatDateTime(analytics.from)} to {formatDateTime(analytics.to)}
      </p>
      <FactList
        facts={[
          ["Requests", formatNumber(analytics.requests)],
          ["Errors", formatNumber(errorCount)],
          [
            "Cache hit rate",
            `${formatRate(analytics.cacheHitRate)} (${analytics.cacheHits} hits, ${analytics.cacheMisses} misses)`,
          ],
          ["Fallback rate", formatRate(analytics.fallbackRate)],
          ["Degraded answers", formatNumber(analytics.degraded)],
        ]}
      />
      {analytics.requests === 0 ? (
        <EmptyState title="No requests in this window">
          Classify an image in the playground to see it here.
        </EmptyState>
      ) : (
        <>
          <Chart option={trafficChartOption(analytics, trafficTitle)} label={trafficTitle} height={280} />
          <div className="two-columns">
            <div>
              <Chart option={latencyChartOption(analytics, latencyTitle)} label={latencyTitle} height={260} />
              <LatencyTable analytics={analytics} />
            </div>
            <div>
              {analytics.batchSizes.length > 0 ? (
                <Chart
                  option={batchSizeChartOption(analytics.batchSizes, batchTitle)}
                  label={batchTitle}
                  height={260}
                />
              ) : (
                <EmptyState title="No tier batches">
                  The gateway served these requests without a tier.
                </EmptyState>
              )}
            </div>
          </div>
          <div className="two-columns">
            <Chart
              option={countsChartOption(analytics.servedBy, servedByTitle)}
              label={servedByTitle}
              height={countsChartHeight(analytics.servedBy.length)}
            />
            {analytics.errors.length > 0 && (
              <Chart
                option={countsChartOption(analytics.errors, errorsTitle, "#c0392b")}
                label={errorsTitle}
                height={countsChartHeight(analytics.errors.length)}
              />
            )}
          </div>
        </>
      )}
    </section>
  );
}

const trafficTitle = "Requests, errors and p95 latency over time";
const latencyTitle = "Latency percentiles per stage";
const batchTitle = "Requests by tier batch size";
const servedByTitle = "Requests by where they were served";
const errorsTitle = "Errors by code";

function LatencyTable({ analytics }: { analytics: Analytics }) {
  const noteId = useId();
  return (
    <div className="table-scroll">
      <table className="data-table" aria-describedby={noteId}>
        <caption className="visually-hidden">Latency per stage</caption>
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col">p50</th>
            <th scope="col">p95</th>
            <th scope="col">p99</th>
          </tr>
        </thead>
        <tbody>
          {latencyRows(analytics).map((row) => (
            <tr key={row.stage}>
              <th scope="row">{row.stage}</th>
              <td>{formatLatencyBound(row.p50)}</td>
              <td>{formatLatencyBound(row.p95)}</td>
              <td>{formatLatencyBound(row.p99)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint" id={noteId}>
        Latencies are counted in fixed buckets (1, 2, 5, 10, 20, 50 ms … 60 s), so each percentile is its
        bucket&apos;s upper bound: “≤ 20 ms” means between 10 and 20 ms.
      </p>
    </div>
  );
}
