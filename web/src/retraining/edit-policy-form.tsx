import { useMutation } from "@apollo/client/react";
import { useCallback, useState, type FormEvent } from "react";
import { UpdateRetrainingPolicyDocument, type RetrainingPolicySummaryFragment } from "../gql/graphql";
import { FormProblems } from "../training/form-problems";
import { TextField } from "../training/option-fields";
import { useCheckedForm } from "../training/use-checked-form";
import { changedFields, policyFormOf, policyPatch, type PolicyForm } from "./policy-form";
import { policyEditErrors } from "./policy-form-validation";
import { policyServerProblems } from "./policy-problems";
import { PromotionSection } from "./promotion-section";
import { TriggersSection } from "./triggers-section";

/**
 * A policy's own settings as the create form shows them, filled in from the policy: its name,
 * triggers, promotion and cooldown (its model, dataset and training template stay). Checked as the
 * person types; the server's refusals land next to the fields they name.
 */
export function EditPolicyForm({
  policy,
  onDone,
}: {
  policy: RetrainingPolicySummaryFragment;
  /** Called after a save (the cache holds the new settings) or a cancel. */
  onDone(): void;
}) {
  const [form, setForm] = useState(() => policyFormOf(policy));
  const [update, updating] = useMutation(UpdateRetrainingPolicyDocument);
  const {
    formRef,
    touch,
    changed,
    submitChecked,
    messages,
    problemCount,
    serverFieldProblemCount,
    otherProblems,
  } = useCheckedForm(policyEditErrors(form));

  const change = useCallback(
    (patch: Partial<PolicyForm>) => {
      setForm((current) => ({ ...current, ...patch }));
      changed(changedFields(patch));
    },
    [changed],
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submitChecked(async () => {
      const result = await update({ variables: { id: policy.id, patch: policyPatch(form) } });
      if (result.data) onDone();
    }, policyServerProblems);
  };

  return (
    <form
      ref={formRef}
      className="training-form"
      onSubmit={submit}
      noValidate
      aria-label="Edit the retraining policy"
    >
      <fieldset className="form-section">
        <legend>Name</legend>
        <div className="form-grid">
          <TextField
            name="name"
            label="Name"
            hint="Shown in the list of policies; emptied, the policy keeps its name"
            value={form.name}
            message={messages.name}
            onChange={(name) => change({ name })}
            onTouched={touch}
          />
        </div>
      </fieldset>
      <TriggersSection form={form} onChange={change} onTouched={touch} messages={messages} />
      <PromotionSection form={form} onChange={change} onTouched={touch} messages={messages} />
      <div className="form-footer">
        <FormProblems
          subject="policy"
          outcome="can be saved"
          problemCount={problemCount}
          serverFieldProblemCount={serverFieldProblemCount}
          otherProblems={otherProblems}
        />
        <div className="button-row">
          <button type="submit" className="primary" disabled={updating.loading}>
            {updating.loading ? "Saving…" : "Save changes"}
          </button>
          <button type="button" disabled={updating.loading} onClick={onDone}>
            Cancel
          </button>
        </div>
      </div>
    </form>
  );
}
