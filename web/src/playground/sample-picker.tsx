import { skipToken, useQuery } from "@apollo/client/react";
import { useId, useState } from "react";
import { SampleGrid } from "../datasets/sample-grid";
import type { SampleTile } from "../datasets/sample-catalog";
import { useSampleCatalog } from "../datasets/use-sample-catalog";
import { DatasetDetailDocument, DatasetListDocument, type VersionSummaryFragment } from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";
import { formatNumber } from "../ui/format";
import { Skeleton } from "../ui/skeleton";
// The grid's own styles live with the datasets area, which this page may not have loaded.
import "../datasets/sample-views.css";

/** The API's largest page: the picker lists that many datasets, newest first. */
const DATASETS_LISTED = 100;

/** A dataset, one of its versions (the newest unless chosen), then an image on that version's grid. */
export function SamplePicker({ onPick }: { onPick(sample: SampleTile): void }) {
  const id = useId();
  const [datasetId, setDatasetId] = useState("");
  const [versionId, setVersionId] = useState("");
  const list = useQuery(DatasetListDocument, {
    variables: { first: DATASETS_LISTED },
    fetchPolicy: "cache-and-network",
  });
  const detail = useQuery(DatasetDetailDocument, datasetId ? { variables: { id: datasetId } } : skipToken);
  const datasets = (list.data?.datasets.edges ?? [])
    .map((edge) => edge.node)
    .filter((dataset) => dataset.latestVersion !== null);
  const dataset = detail.data?.dataset;
  const versions = dataset ? [...dataset.versions].sort((a, b) => b.number - a.number) : [];
  const version = versions.find((entry) => entry.id === versionId) ?? versions[0];
  const total = list.data?.datasets.totalCount ?? 0;

  if (list.loading && !list.data) return <Skeleton lines={2} label="Loading datasets" />;
  return (
    <div className="sample-picker">
      <ErrorMessage error={list.error ?? detail.error} />
      <div className="inline-form">
        <div className="field">
          <label htmlFor={`${id}-dataset`}>Dataset</label>
          <select
            id={`${id}-dataset`}
            value={datasetId}
            onChange={(event) => {
              setDatasetId(event.target.value);
              setVersionId("");
            }}
          >
            <option value="">{datasets.length === 0 ? "No datasets yet" : "Choose a dataset"}</option>
            {datasets.map((entry) => (
              <option key={entry.id} value={entry.id}>
                {entry.owner.handle}/{entry.name}
              </option>
            ))}
          </select>
        </div>
        {dataset && version && (
          <div className="field">
            <label htmlFor={`${id}-version`}>Version</label>
            <select
              id={`${id}-version`}
              value={version.id}
              onChange={(event) => setVersionId(event.target.value)}
            >
              {versions.map((entry) => (
                <option key={entry.id} value={entry.id}>
                  v{entry.number} · {formatNumber(entry.imageCount)} images
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      {total > datasets.length && datasets.length === DATASETS_LISTED && (
        <p className="hint">
          The {DATASETS_LISTED} newest of {formatNumber(total)} datasets.
        </p>
      )}
      {datasetId && !dataset && detail.loading && <Skeleton lines={3} label="Loading the versions" />}
      {dataset && version && (
        <VersionGrid key={version.id} version={version} name={dataset.name} onPick={onPick} />
      )}
    </div>
  );
}

function VersionGrid({
  version,
  name,
  onPick,
}: {
  version: VersionSummaryFragment;
  name: string;
  onPick(sample: SampleTile): void;
}) {
  const catalog = useSampleCatalog(version.id, null);
  return (
    <>
      <p className="hint">Click an image (or move with the arrow keys and press Enter) to send it.</p>
      <SampleGrid
        catalog={catalog}
        expectedCount={version.imageCount}
        label={`Images of ${name} v${version.number}`}
        onOpen={onPick}
      />
    </>
  );
}
