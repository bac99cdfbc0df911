import { useId, useMemo } from "react";
import { Chart, type ChartOption } from "../ui/chart";
import { formatDateTime, formatEnum, formatNumber } from "../ui/format";
import { SkippedFiles } from "./skipped-files";
import { useVersion } from "./version-context";

/** Classes beyond this many get a slider under the chart instead of unreadable labels. */
const CLASSES_AT_ONCE = 40;

/** What the version is: its facts, its class sizes as a chart, the files its upload left out. */
export default function VersionAboutTab() {
  const id = useId();
  const { version, statuses } = useVersion();
  const option = useMemo<ChartOption>(() => {
    const classes = [...version.classes].sort((a, b) => b.count - a.count);
    return {
      grid: { left: 56, right: 16, top: 16, bottom: classes.length > CLASSES_AT_ONCE ? 96 : 72 },
      tooltip: { trigger: "axis" },
      xAxis: {
        type: "category",
        data: classes.map((entry) => entry.name),
        axisLabel: { rotate: 30, interval: 0 },
      },
      yAxis: { type: "value", name: "Images", minInterval: 1 },
      dataZoom:
        classes.length > CLASSES_AT_ONCE
          ? [{ type: "slider", startValue: 0, endValue: CLASSES_AT_ONCE - 1 }]
          : [],
      series: [{ type: "bar", name: "Images", data: classes.map((entry) => entry.count), barMaxWidth: 40 }],
    };
  }, [version.classes]);

  return (
    <>
      <section aria-labelledby={`${id}-facts`}>
        <h2 id={`${id}-facts`}>Version facts</h2>
        <dl className="facts">
          <dt>Number</dt>
          <dd>v{version.number}</dd>
          <dt>Created</dt>
          <dd>{formatDateTime(version.createdAt)}</dd>
          <dt>Source</dt>
          <dd>{version.source}</dd>
          <dt>Images</dt>
          <dd>{formatNumber(version.imageCount)}</dd>
          <dt>Classes</dt>
          <dd>{formatNumber(version.classCount)}</dd>
          {version.message && (
            <>
              <dt>Change</dt>
              <dd>{version.message}</dd>
            </>
          )}
          <dt>Id</dt>
          <dd>
            <code>{version.id}</code>
          </dd>
        </dl>
      </section>
      <section aria-labelledby={`${id}-classes`}>
        <h2 id={`${id}-classes`}>Images per class</h2>
        {version.classes.length > 0 ? (
          <Chart
            option={option}
            label={`Images per class, ${version.classes.length} classes, largest first`}
            height={320}
          />
        ) : (
          <p className="muted">No classes.</p>
        )}
      </section>
      {statuses.length > 0 && (
        <section aria-labelledby={`${id}-spaces`}>
          <h2 id={`${id}-spaces`}>Embedding spaces</h2>
          <div className="table-scroll">
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Space</th>
                  <th scope="col">Method</th>
                  <th scope="col">Dimensions</th>
                  <th scope="col">State</th>
                  <th scope="col">Embedded</th>
                  <th scope="col">Quality threshold</th>
                </tr>
              </thead>
              <tbody>
                {statuses.map((status) => (
                  <tr key={status.space}>
                    <th scope="row">
                      <code>{status.space}</code>
                    </th>
                    <td>{formatEnum(status.method)}</td>
                    <td>{formatNumber(status.dimension)}</td>
                    <td>{formatEnum(status.state)}</td>
                    <td>
                      {formatNumber(status.done)} of {formatNumber(status.total)}
                      {status.failed > 0 && `, ${formatNumber(status.failed)} failed`}
                    </td>
                    <td>{status.qualityThreshold ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      <h2>Upload report</h2>
      {version.skipped.length > 0 ? (
        <SkippedFiles files={version.skipped} />
      ) : (
        <p className="muted">The upload left no file out.</p>
      )}
    </>
  );
}
