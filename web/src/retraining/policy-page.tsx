import { useQuery } from "@apollo/client/react";
import { useEffect, useState } from "react";
import { useParams } from "react-router";
import { RetrainingPolicyDetailDocument } from "../gql/graphql";
import { isActiveJob } from "../jobs/job-status";
import { useDocumentTitle } from "../layout/use-document-title";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { PageHeader } from "../ui/page-header";
import { Skeleton } from "../ui/skeleton";
import { EditPolicyForm } from "./edit-policy-form";
import { EvaluateNow } from "./evaluate-now";
import { PolicyControls } from "./policy-controls";
import { PolicyFacts } from "./policy-facts";
import { policyName } from "./policy-words";
import { PolicyTimeline } from "./policy-timeline-view";
import { policiesPath, retrainingPath } from "./retraining-paths";

// A run goes from dataset version to training to the duel in minutes: follow it while one is open.
const ACTIVE_RUN_POLL_MS = 5000;
// The scheduler evaluates an enabled policy on its own and may fire it: look now and then, so its
// evaluations and the runs they start appear without a reload.
const ENABLED_POLL_MS = 30_000;

/**
 * A policy: its settings, the timeline of evaluations and runs (kept fresh while the scheduler may
 * add to it), a dry run or an early firing, and its switches.
 */
export default function PolicyPage() {
  const { policyId = "" } = useParams();
  const { data, loading, error, startPolling, stopPolling } = useQuery(RetrainingPolicyDetailDocument, {
    variables: { id: policyId },
  });
  const policy = data?.retrainingPolicy;
  const [editing, setEditing] = useState(false);
  const running = policy?.runs.some((run) => isActiveJob(run.status)) ?? false;
  const pollEvery = running ? ACTIVE_RUN_POLL_MS : policy?.enabled ? ENABLED_POLL_MS : 0;
  useEffect(() => {
    if (pollEvery === 0) return;
    startPolling(pollEvery);
    return () => stopPolling();
  }, [pollEvery, startPolling, stopPolling]);
  useDocumentTitle(policy ? policyName(policy) : "Retraining policy");

  if (loading && !data) return <Skeleton lines={10} label="Loading the policy" />;
  if (!policy) {
    return (
      <>
        <PageHeader title="Retraining policy" crumbs={[{ label: "Retraining", to: retrainingPath }]} />
        <ErrorMessage error={error} />
        {!error && <EmptyState title="No such policy">It was deleted, or you cannot see it.</EmptyState>}
      </>
    );
  }
  const crumbs = [
    { label: "Retraining", to: retrainingPath },
    { label: policy.model.slug, to: policiesPath(policy.model.id) },
  ];
  return (
    <>
      <PageHeader title={policyName(policy)} crumbs={crumbs} />
      <ErrorMessage error={error} />
      {editing ? (
        <>
          <h2>Edit the policy</h2>
          <EditPolicyForm key={policy.id} policy={policy} onDone={() => setEditing(false)} />
        </>
      ) : (
        <div className="button-row">
          <button type="button" onClick={() => setEditing(true)}>
            Edit settings
          </button>
        </div>
      )}
      <div className="two-columns">
        <PolicyFacts policy={policy} />
        <div>
          <PolicyControls
            policyId={policy.id}
            modelId={policy.model.id}
            enabled={policy.enabled}
            name={policyName(policy)}
          />
          <EvaluateNow policyId={policy.id} alias={policy.promote.alias} />
        </div>
      </div>
      <h2>Timeline</h2>
      <PolicyTimeline
        model={policy.model}
        alias={policy.promote.alias}
        evaluations={policy.evaluations}
        runs={policy.runs}
      />
    </>
  );
}
