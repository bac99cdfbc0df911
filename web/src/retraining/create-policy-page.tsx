import { useMutation } from "@apollo/client/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { CreateRetrainingPolicyDocument } from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { fieldMessages, withoutFields, type ServerProblems } from "../training/field-messages";
import type { TrainingForm } from "../training/training-form";
import { PageHeader } from "../ui/page-header";
import { CreatePolicyForm } from "./create-policy-form";
import { defaultPolicyForm, policyInput, TEMPLATE, type PolicyForm } from "./policy-form";
import { policyFormErrors } from "./policy-form-validation";
import { policyServerProblems, templateMessages } from "./policy-problems";
import { policyPath, retrainingPath } from "./retraining-paths";

const noProblems: ServerProblems = { byField: {}, other: [] };

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
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState(noProblems);
  const [focusRequest, setFocusRequest] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const [create, creating] = useMutation(CreateRetrainingPolicyDocument);

  const errors = policyFormErrors(form);
  const messages = fieldMessages(errors, server, touched, submitted);

  const change = useCallback((patch: Partial<PolicyForm>) => {
    setForm((current) => ({ ...current, ...patch }));
    setServer((current) => withoutFields(current, changedFields(patch)));
  }, []);
  const changeTemplate = useCallback((patch: Partial<TrainingForm>) => {
    setForm((current) => ({ ...current, template: { ...current.template, ...patch } }));
    setServer((current) =>
      withoutFields(
        current,
        Object.keys(patch).map((name) => `${TEMPLATE}${name}`),
      ),
    );
  }, []);
  const touch = useCallback(
    (field: string) => setTouched((current) => (current.has(field) ? current : new Set(current).add(field))),
    [],
  );
  const touchTemplate = useCallback((field: string) => touch(`${TEMPLATE}${field}`), [touch]);

  // After a refused submit, keyboard and screen-reader users land on the first field to fix.
  useEffect(() => {
    if (focusRequest === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusRequest]);

  const submit = async () => {
    setSubmitted(true);
    if (Object.keys(errors).length > 0) {
      setFocusRequest((count) => count + 1);
      return;
    }
    setServer(noProblems);
    try {
      const result = await create({ variables: { input: policyInput(form) } });
      if (result.data) navigate(policyPath(result.data.createRetrainingPolicy.id));
    } catch (error) {
      setServer(policyServerProblems(error));
      setFocusRequest((count) => count + 1);
    }
  };

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
        problemCount={submitted ? Object.keys(errors).length : 0}
        serverFieldProblemCount={Object.keys(server.byField).length}
        otherProblems={server.other}
        saving={creating.loading}
        onSubmit={() => void submit()}
      />
    </>
  );
}
