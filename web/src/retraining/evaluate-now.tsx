import { useMutation } from "@apollo/client/react";
import { useId } from "react";
import { EvaluateRetrainingPolicyDocument } from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";
import { evaluationWords } from "./policy-words";

/** A dry run of the policy's triggers: what the scheduler would decide now, and why; nothing starts. */
export function EvaluateNow({ policyId }: { policyId: string }) {
  const id = useId();
  const [evaluate, { data, loading, error }] = useMutation(EvaluateRetrainingPolicyDocument, {
    variables: { id: policyId },
    // The dry run is stored, so the timeline shows it too.
    refetchQueries: ["RetrainingPolicyDetail"],
  });
  const result = data?.evaluateRetrainingPolicy;
  const words = result ? evaluationWords(result) : null;
  return (
    <section className="panel" aria-labelledby={`${id}-title`} aria-busy={loading}>
      <h2 id={`${id}-title`}>Evaluate now</h2>
      <p className="muted">Measures every trigger as the scheduler would, without starting a run.</p>
      <div className="button-row">
        <button type="button" disabled={loading} onClick={() => void evaluate().catch(() => null)}>
          {loading ? "Evaluating…" : "Evaluate now (dry run)"}
        </button>
      </div>
      {words && (
        <div
          className={words.wouldFire ? "notice" : "dry-run-quiet"}
          role="status"
          aria-label="Dry run result"
        >
          <p>
            <strong>{words.verdict ?? (words.wouldFire ? "Would fire" : "Would not fire")}</strong>
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
