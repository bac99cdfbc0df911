import { useQuery } from "@apollo/client/react";
import { useId } from "react";
import { Link, useSearchParams } from "react-router";
import { AnalyticsWindow, ServingDeploymentsDocument } from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { PageHeader } from "../ui/page-header";
import { Skeleton } from "../ui/skeleton";
import { AnalyticsPanel } from "./analytics-panel";
import { deploymentLabel, windowLabels } from "./serving-words";
import { newEnsemblePath, newRemoteModelPath } from "./serving-paths";

const windows = Object.values(AnalyticsWindow);

/**
 * What each deployment served: pick one (`?version=<model version id>`) and a window
 * (`?window=LAST_HOUR`), and its analytics are drawn from every gateway replica's counts.
 */
export default function ServingPage() {
  useDocumentTitle("Serving");
  const id = useId();
  const [params, setParams] = useSearchParams();
  const { data, loading, error } = useQuery(ServingDeploymentsDocument, { fetchPolicy: "cache-and-network" });
  const deployments = data?.deployments ?? [];
  const named = params.get("version");
  // A version named in the URL that is not deployed is said so, not swapped for another silently.
  const chosen = named
    ? deployments.find((deployment) => deployment.modelVersion.id === named)
    : deployments[0];
  const windowParam = params.get("window") as AnalyticsWindow | null;
  const window = windowParam && windows.includes(windowParam) ? windowParam : AnalyticsWindow.LastHour;
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    next.set(key, value);
    setParams(next, { replace: true });
  };
  const actions = (
    <>
      <Link className="button" to={newRemoteModelPath}>
        Register a remote model
      </Link>
      <Link className="button primary" to={newEnsemblePath}>
        Create an ensemble
      </Link>
    </>
  );

  return (
    <>
      <PageHeader title="Serving" actions={actions} />
      <p className="lead">
        Requests, errors, latency per stage, batching, the prediction cache and where answers came from, per
        deployment.
      </p>
      <ErrorMessage error={error} />
      {loading && !data ? (
        <Skeleton lines={6} label="Loading deployments" />
      ) : error && !data ? null : deployments.length === 0 ? (
        <EmptyState title="Nothing is deployed">
          Deploy a model version from its page, or create an ensemble or register a remote model.
        </EmptyState>
      ) : (
        <>
          <div className="serving-controls">
            <div className="field">
              <label htmlFor={`${id}-deployment`}>Deployment</label>
              <select
                id={`${id}-deployment`}
                value={chosen?.modelVersion.id ?? ""}
                onChange={(event) => set("version", event.target.value)}
              >
                {!chosen && (
                  <option value="" disabled>
                    Choose a deployment
                  </option>
                )}
                {deployments.map((deployment) => (
                  <option key={deployment.id} value={deployment.modelVersion.id}>
                    {deploymentLabel(deployment)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-window`}>Window</label>
              <select
                id={`${id}-window`}
                value={window}
                onChange={(event) => set("window", event.target.value)}
              >
                {windows.map((option) => (
                  <option key={option} value={option}>
                    {windowLabels[option]}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {chosen ? (
            <AnalyticsPanel versionId={chosen.modelVersion.id} window={window} />
          ) : (
            <EmptyState title="That version is not deployed">
              The link names model version <code>{named}</code>, which is not deployed (or not visible to
              you). Pick a deployment above, or deploy the version from its page.
            </EmptyState>
          )}
        </>
      )}
    </>
  );
}
