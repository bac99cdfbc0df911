import { useMutation } from "@apollo/client/react";
import { useCallback, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { CreateRetrainingPolicyDocument } from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import type { TrainingForm } from "../training/training-form";
import { useCheckedForm } from "../training/use-checked-form";
import { PageHeader } from "../ui/page-header";
import { CreatePolicyForm } from "./create-policy-form";
import { changedFields, defaultPolicyForm, policyInput, TEMPLATE, type PolicyForm } from "./policy-form";
import { policyFormErrors } from "./policy-form-validation";
import { policyServerProblems, templateMessages } from "./policy-problems";
import { policyPath, retrainingPath } from "./retraining-paths";

/**
 * The create form. `?modelId=` chooses the model (the version page links here with it). Checked as
 * the person types; the server's refusals land next to the fields they name.
 */
export default function CreatePolicyPage() {
  useDocumentTitle("New retraining policy");
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form, setForm] = useState(() => defaultPolicyForm(params.get("modelId") ?? ""));
  const [create, creating] = useMutation(CreateRetrainingPolicyDocument);

  const {
    formRef,
    touch,
    changed,
    submitChecked,
    messages,
    problemCount,
    serverFieldProblemCount,
    otherProblems,
  } = useCheckedForm(policyFormErrors(form));

  const change = useCallback(
    (patch: Partial<PolicyForm>) => {
      setForm((current) => ({ ...current, ...patch }));
      changed(changedFields(patch));
    },
    [changed],
  );
  const changeTemplate = useCallback(
    (patch: Partial<TrainingForm>) => {
      setForm((current) => ({ ...current, template: { ...current.template, ...patch } }));
      changed(Object.keys(patch).map((name) => `${TEMPLATE}${name}`));
    },
    [changed],
  );
  const touchTemplate = useCallback((field: string) => touch(`${TEMPLATE}${field}`), [touch]);

  const submit = () =>
    submitChecked(async () => {
      const result = await create({ variables: { input: policyInput(form) } });
      if (result.data) navigate(policyPath(result.data.createRetrainingPolicy.id));
    }, policyServerProblems);

  return (
    <>
      <PageHeader title="New retraining policy" crumbs={[{ label: "Retraining", to: retrainingPath }]} />
      <p className="lead">
        When a trigger holds, the policy builds a new dataset version from the dataset plus the accepted
        corrections and labels, trains a challenger with the template, evaluates it against the champion on
        the same held-out set, and moves the alias only when the challenger wins by the margin.
      </p>
      <CreatePolicyForm
        ref={formRef}
        form={form}
        onChange={change}
        onTouched={touch}
        messages={messages}
        templateMessages={templateMessages(messages)}
        onTemplateChange={changeTemplate}
        onTemplateTouched={touchTemplate}
        problemCount={problemCount}
        serverFieldProblemCount={serverFieldProblemCount}
        otherProblems={otherProblems}
        saving={creating.loading}
        onSubmit={() => void submit()}
      />
    </>
  );
}
