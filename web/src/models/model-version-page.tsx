import { useQuery } from "@apollo/client/react";
import { useParams } from "react-router";
import { ModelVersionDetailDocument } from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { PageHeader } from "../ui/page-header";
import { Skeleton } from "../ui/skeleton";
import { DeploymentPanel } from "./deployment-panel";
import { modelPath } from "./model-paths";
import { TensorTable } from "./tensor-table";
import { VersionFacts } from "./version-facts";
import { VersionFiles } from "./version-files";
import { VersionLineage } from "./version-lineage";
import { VersionMetrics } from "./version-metrics";
import { VersionLoopLinks } from "../predictions/version-loop-links";
import { VersionServing } from "../serving/version-serving";

const SIGNED_URL_REFRESH_MS = 10 * 60 * 1000;

export default function ModelVersionPage() {
  const { owner = "", slug = "", version: name = "" } = useParams();
  const { data, loading, error } = useQuery(ModelVersionDetailDocument, {
    variables: { owner, slug, version: name },
    // Download links are signed for 15 minutes: refresh them (and the deployment state) before they lapse.
    pollInterval: SIGNED_URL_REFRESH_MS,
  });
  const model = data?.model;
  const version = model?.version;
  useDocumentTitle(`${slug} ${name}`);

  const crumbs = [
    { label: "Models", to: "/models" },
    { label: model?.name ?? slug, to: modelPath(owner, slug) },
  ];
  if (loading && !data) return <Skeleton lines={10} label="Loading version" />;
  if (!model || !version) {
    return (
      <>
        <PageHeader title={`${slug} ${name}`} crumbs={crumbs} />
        <ErrorMessage error={error} />
        {!error && <EmptyState title="No such version">It was deleted, or you cannot see it.</EmptyState>}
      </>
    );
  }
  return (
    <>
      <PageHeader title={`${model.name} ${version.version}`} crumbs={crumbs} />
      <ErrorMessage error={error} />
      <div className="two-columns">
        <div>
          <VersionFacts model={model} version={version} />
          <VersionLineage versionId={version.id} />
          <VersionLoopLinks owner={owner} slug={slug} version={version.version} modelId={model.id} />
          <VersionServing
            versionId={version.id}
            framework={model.framework}
            deployed={version.deployment !== null}
          />
        </div>
        <DeploymentPanel
          versionId={version.id}
          deployment={version.deployment}
          validation={version.validation}
          target={version}
          serving={model.servingVersion}
        />
      </div>
      <section aria-labelledby="tensors-title">
        <h2 id="tensors-title">Inputs and outputs</h2>
        {version.inputs || version.outputs ? (
          <div className="two-columns">
            <TensorTable caption="Inputs" tensors={version.inputs ?? []} />
            <TensorTable caption="Outputs" tensors={version.outputs ?? []} />
          </div>
        ) : (
          <EmptyState title="Not known">
            Tensors are read from ONNX files; this version&apos;s primary file is not one.
          </EmptyState>
        )}
      </section>
      {version.labels.length > 0 && (
        <section aria-labelledby="labels-title">
          <h2 id="labels-title">Labels ({version.labels.length})</h2>
          <ol className="chips label-list" start={0}>
            {version.labels.map((label, index) => (
              <li key={index} className="chip">
                <span className="muted">{index}</span> {label}
              </li>
            ))}
          </ol>
        </section>
      )}
      <VersionFiles files={version.files} zipUrl={version.downloadUrl} />
      <VersionMetrics metrics={version.metrics} />
    </>
  );
}
