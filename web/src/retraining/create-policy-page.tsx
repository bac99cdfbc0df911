import { useMutation } from "@apollo/client/react";
import { useCallback, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { CreateRetrainingPolicyDocument } from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import type { TrainingForm } from "../training/training-form";
import { useCheckedForm } from "../training/use-checked-form";
import { PageHeader } from "../ui/page-header";
import { CreatePolicyForm } from "./create-policy-form";
import { defaultPolicyForm, policyInput, TEMPLATE, type PolicyForm } from "./policy-form";
import { policyFormErrors } from "./policy-form-validation";
import { policyServerProblems, templateMessages } from "./policy-problems";
import { policyPath, retrainingPath } from "./retraining-paths";

/** The server's name of the input each form field feeds, whose problems a change clears. */
const serverNames: Partial<Record<keyof PolicyForm, string>> = {
  feedbackCountOn: "triggers.feedbackCount",
  feedbackCount: "triggers.feedbackCount",
  scheduleOn: "triggers.schedule",
  schedule: "triggers.schedule",
  uncertaintyOn: "triggers.meanUncertaintyAbove",
  meanUncertaintyAbove: "triggers.meanUncertaintyAbove",
  driftOn: "triggers.drift",
  driftMethod: "triggers.drift.method",
  pValue: "triggers.drift.pValue",
  minEffect: "triggers.drift.minEffect",
  window: "triggers.drift.window",
  cooldownHours: "cooldown",
  alias: "promote.alias",
  mustBeatChampionBy: "promote.mustBeatChampionBy",
};

function changedFields(patch: Partial<PolicyForm>): string[] {
  const names = Object.keys(patch) as Array<keyof PolicyForm>;
  const fields = names.map((name) => serverNames[name] ?? name);
  // Any trigger ticked or changed answers "choose at least one trigger".
  return names.some((name) => serverNames[name]?.startsWith("triggers")) ? [...fields, "triggers"] : fields;
}

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
