import { useMutation } from "@apollo/client/react";
import { useId, useState } from "react";
import { EvaluateRetrainingPolicyDocument } from "../gql/graphql";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { ErrorMessage } from "../ui/error-message";
import { evaluationWords } from "./policy-words";

/**
 * The policy's triggers measured now: a dry run says what the scheduler would decide, and why,
 * and starts nothing; "Evaluate and fire now" (confirmed first) is the scheduler's own evaluation,
 * run early, so it starts a run when a trigger holds.
 */
export function EvaluateNow({ policyId, alias }: { policyId: string; alias: string }) {
  const id = useId();
  const [confirming, setConfirming] = useState(false);
  const [evaluate, { data, loading, error }] = useMutation(EvaluateRetrainingPolicyDocument, {
    // Every evaluation is stored, and a firing one starts a run: the timeline shows both.
    refetchQueries: ["RetrainingPolicyDetail"],
  });
  const run = (dryRun: boolean) => {
    setConfirming(false);
    void evaluate({ variables: { id: policyId, dryRun } }).catch(() => null);
  };
  const result = data?.evaluateRetrainingPolicy;
  const words = result ? evaluationWords(result) : null;
  const fired = result ? !result.dryRun && result.fired : false;
  return (
    <section className="panel" aria-labelledby={`${id}-title`} aria-busy={loading}>
      <h2 id={`${id}-title`}>Evaluate now</h2>
      <p className="muted">
        Measures every trigger as the scheduler would; a dry run starts nothing, firing starts a run when one
        holds.
      </p>
      <div className="button-row">
        <button type="button" disabled={loading} onClick={() => run(true)}>
          {loading ? "Evaluating…" : "Evaluate now (dry run)"}
        </button>
        {!confirming && (
          <button type="button" disabled={loading} onClick={() => setConfirming(true)}>
            Evaluate and fire now
          </button>
        )}
      </div>
      {confirming && (
        <ConfirmDialog
          title="Evaluate and fire now?"
          confirmLabel="Evaluate and fire"
          cancelLabel="Cancel"
          onConfirm={() => run(false)}
          onCancel={() => setConfirming(false)}
        >
          If a trigger holds, a run starts: it builds a dataset version, trains a new version and may move{" "}
          {alias} to it. As for the scheduler, a cooldown or a run still going holds it back.
        </ConfirmDialog>
      )}
      {result && words && (
        <div
          className={fired || words.wouldFire ? "notice" : "dry-run-quiet"}
          role="status"
          aria-label={result.dryRun ? "Dry run result" : "Evaluation result"}
        >
          <p>
            <strong>{words.verdict ?? verdictOf(result.dryRun, fired, words.wouldFire)}</strong>
          </p>
          {words.checks.length > 0 && (
            <ul>
              {words.checks.map((check, index) => (
                <li key={index}>{check}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}

function verdictOf(dryRun: boolean, fired: boolean, wouldFire: boolean): string {
  if (dryRun) return wouldFire ? "Would fire" : "Would not fire";
  return fired ? "Fired" : "Did not fire";
}
