import { useQuery } from "@apollo/client/react";
import { Link, useParams } from "react-router";
import { DatasetDetailDocument } from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { formatDateTime } from "../ui/format";
import { PageHeader } from "../ui/page-header";
import { Skeleton } from "../ui/skeleton";
import { DeleteDataset } from "./delete-dataset";
import { VersionCompare } from "./version-compare";
import { VersionHistory } from "./version-history";

export default function DatasetPage() {
  const { datasetId = "" } = useParams();
  const { data, loading, error } = useQuery(DatasetDetailDocument, {
    variables: { id: datasetId },
    fetchPolicy: "cache-and-network",
  });
  const dataset = data?.dataset;
  useDocumentTitle(dataset?.name ?? "Dataset");

  const crumbs = [{ label: "Datasets", to: "/datasets" }];
  if (loading && !data) return <Skeleton lines={8} label="Loading dataset" />;
  if (!dataset) {
    return (
      <>
        <PageHeader title="Dataset" crumbs={crumbs} />
        <ErrorMessage error={error} />
        {!error && <EmptyState title="No such dataset">It was deleted, or you cannot see it.</EmptyState>}
      </>
    );
  }
  return (
    <>
      <PageHeader
        title={dataset.name}
        crumbs={crumbs}
        actions={
          <Link className="button" to={`/datasets/upload?name=${encodeURIComponent(dataset.name)}`}>
            Upload a new version
          </Link>
        }
      />
      <ErrorMessage error={error} />
      <dl className="facts">
        <dt>Owner</dt>
        <dd>{dataset.owner.handle}</dd>
        <dt>Visibility</dt>
        <dd>{dataset.isPublic ? "Public" : "Private"}</dd>
        <dt>Tags</dt>
        <dd>{dataset.tags.length > 0 ? dataset.tags.join(", ") : "—"}</dd>
        <dt>Created</dt>
        <dd>{formatDateTime(dataset.createdAt)}</dd>
        <dt>Updated</dt>
        <dd>{formatDateTime(dataset.updatedAt)}</dd>
      </dl>
      {dataset.description && <p className="description">{dataset.description}</p>}

      <VersionHistory datasetId={dataset.id} versions={dataset.versions} />
      {dataset.versions.length > 1 && <VersionCompare versions={dataset.versions} />}
      <DeleteDataset datasetId={dataset.id} name={dataset.name} />
    </>
  );
}
