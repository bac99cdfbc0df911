import { useQuery } from "@apollo/client/react";
import { Link, useSearchParams } from "react-router";
import { RetrainingPoliciesDocument, type RetrainingPolicySummaryFragment } from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { formatDateTime } from "../ui/format";
import { PageHeader } from "../ui/page-header";
import { TableSkeleton } from "../ui/skeleton";
import { policyName, triggerPhrases } from "./policy-words";
import { newPolicyPath, policyPath, retrainingPath } from "./retraining-paths";

/** The retraining policies you can see, or one model's (`?model=<id>`). */
export default function PolicyListPage() {
  useDocumentTitle("Retraining");
  const [params] = useSearchParams();
  const modelId = params.get("model");
  const { data, loading, error } = useQuery(RetrainingPoliciesDocument, {
    variables: { modelId },
    fetchPolicy: "cache-and-network",
  });
  const policies = data?.retrainingPolicies ?? [];
  const model = modelId ? policies[0]?.model : undefined;
  const create = (
    <Link className="button primary" to={newPolicyPath(modelId ?? undefined)}>
      New policy
    </Link>
  );

  return (
    <>
      <PageHeader
        title={model ? `Retraining of ${model.owner.handle}/${model.slug}` : "Retraining"}
        actions={create}
      />
      <p className="lead">
        Policies retrain a model when its corrections pile up, on a schedule, when it grows unsure or when the
        images drift, and promote the new version only when it beats the one in use.
        {modelId && (
          <>
            {" "}
            <Link to={retrainingPath}>Show every policy</Link>
          </>
        )}
      </p>
      <ErrorMessage error={error} />
      {loading && !data ? (
        <TableSkeleton columns={5} label="Loading policies" />
      ) : policies.length === 0 ? (
        <EmptyState
          title={modelId ? "No policy for this model" : "No retraining policies yet"}
          action={create}
        >
          A policy needs a model, the dataset it was trained on, and at least one trigger.
        </EmptyState>
      ) : (
        <PolicyTable policies={policies} />
      )}
    </>
  );
}

function PolicyTable({ policies }: { policies: readonly RetrainingPolicySummaryFragment[] }) {
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption className="visually-hidden">Retraining policies</caption>
        <thead>
          <tr>
            <th scope="col">Policy</th>
            <th scope="col">Model</th>
            <th scope="col">Fires on</th>
            <th scope="col">State</th>
            <th scope="col">Last fired</th>
          </tr>
        </thead>
        <tbody>
          {policies.map((policy) => (
            <tr key={policy.id}>
              <th scope="row">
                <Link to={policyPath(policy.id)}>{policyName(policy)}</Link>
                <div className="muted">on {policy.dataset.name}</div>
              </th>
              <td>
                {policy.model.owner.handle}/{policy.model.slug}
              </td>
              <td>{triggerPhrases(policy.triggers).join("; or ") || "—"}</td>
              <td>
                {policy.enabled ? (
                  <span className="badge badge-good">Enabled</span>
                ) : (
                  <span className="badge badge-neutral">Disabled</span>
                )}
              </td>
              <td>{policy.lastFiredAt ? formatDateTime(policy.lastFiredAt) : "never"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
