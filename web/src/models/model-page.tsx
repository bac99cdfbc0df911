import { useQuery } from "@apollo/client/react";
import { Link, useParams } from "react-router";
import { ModelDetailDocument } from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { formatBytes, formatDateTime, formatEnum } from "../ui/format";
import { PageHeader } from "../ui/page-header";
import { Skeleton } from "../ui/skeleton";
import { ModelAliases } from "./model-aliases";
import { DeploymentBadge } from "./deployment-badge";
import { ValidationBadge } from "./validation-badge";
import { versionPath } from "./model-paths";
import { VersionAccuracy } from "./version-accuracy";

export default function ModelPage() {
  const { owner = "", slug = "" } = useParams();
  const { data, loading, error } = useQuery(ModelDetailDocument, { variables: { owner, slug } });
  const model = data?.model;
  useDocumentTitle(model?.name ?? slug);

  const crumbs = [{ label: "Models", to: "/models" }];
  if (loading && !data) return <Skeleton lines={8} label="Loading model" />;
  if (!model) {
    return (
      <>
        <PageHeader title={`${owner}/${slug}`} crumbs={crumbs} />
        <ErrorMessage error={error} />
        {!error && <EmptyState title="No such model">It was deleted, or you cannot see it.</EmptyState>}
      </>
    );
  }
  return (
    <>
      <PageHeader
        title={model.name}
        crumbs={crumbs}
        actions={
          <Link className="button" to={`/models/upload?slug=${encodeURIComponent(model.slug)}`}>
            Upload a new version
          </Link>
        }
      />
      <ErrorMessage error={error} />
      <dl className="facts">
        <dt>Owner / slug</dt>
        <dd>
          {model.owner.handle}/{model.slug}
        </dd>
        <dt>Type</dt>
        <dd>{formatEnum(model.modelType)}</dd>
        <dt>Framework</dt>
        <dd>{formatEnum(model.framework)}</dd>
        {model.algorithm && (
          <>
            <dt>Algorithm</dt>
            <dd>{model.algorithm}</dd>
          </>
        )}
        <dt>Visibility</dt>
        <dd>{model.isPublic ? "Public" : "Private"}</dd>
        <dt>Tags</dt>
        <dd>{model.tags.length > 0 ? model.tags.join(", ") : "—"}</dd>
        <dt>Updated</dt>
        <dd>{formatDateTime(model.updatedAt)}</dd>
      </dl>
      {model.description && <p className="description">{model.description}</p>}

      <ModelAliases model={model} />

      <h2>Versions</h2>
      {model.versions.length === 0 ? (
        <EmptyState title="No versions">Upload files to create the first version.</EmptyState>
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Created</th>
                <th scope="col">Size</th>
                <th scope="col">Validation</th>
                <th scope="col">Accuracy</th>
                <th scope="col">Aliases</th>
                <th scope="col">Deployment</th>
              </tr>
            </thead>
            <tbody>
              {model.versions.map((version) => (
                <tr key={version.id}>
                  <th scope="row">
                    <Link to={versionPath(model.owner.handle, model.slug, version.version)}>
                      {version.version}
                    </Link>
                    {version.isProductionReady && <span className="badge badge-good">production-ready</span>}
                  </th>
                  <td>{formatDateTime(version.createdAt)}</td>
                  <td>{formatBytes(version.sizeBytes)}</td>
                  <td>
                    <ValidationBadge validation={version.validation} />
                  </td>
                  <td>
                    <VersionAccuracy version={version} serving={model.servingVersion} />
                  </td>
                  <td>{version.aliases.join(", ") || "—"}</td>
                  <td>
                    <DeploymentBadge deployment={version.deployment} />
                    {!version.deployment && <span className="muted">not deployed</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
