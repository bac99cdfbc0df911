import type { FormEvent, Ref } from "react";
import type { Problem } from "../api/problems";
import type { TrainingForm } from "../training/training-form";
import { TextField } from "../training/option-fields";
import type { FieldMessages } from "../training/field-messages";
import { FormProblems } from "../training/form-problems";
import { DatasetChoice, ModelChoice } from "./policy-subject-pickers";
import { PromotionSection } from "./promotion-section";
import { TemplateSection } from "./template-section";
import { TriggersSection, type PolicySectionProps } from "./triggers-section";

export interface CreatePolicyFormProps extends PolicySectionProps {
  /** The template's messages under the training form's own option names. */
  templateMessages: FieldMessages;
  onTemplateChange(patch: Partial<TrainingForm>): void;
  onTemplateTouched(field: string): void;
  problemCount: number;
  serverFieldProblemCount: number;
  otherProblems: Problem[];
  saving: boolean;
  onSubmit(): void;
  ref?: Ref<HTMLFormElement>;
}

/** What to retrain, from which data, with which options, when, and when to promote the result. */
export function CreatePolicyForm({
  form,
  onChange,
  onTouched,
  messages,
  templateMessages,
  onTemplateChange,
  onTemplateTouched,
  problemCount,
  serverFieldProblemCount,
  otherProblems,
  saving,
  onSubmit,
  ref,
}: CreatePolicyFormProps) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form
      ref={ref}
      className="training-form"
      onSubmit={submit}
      noValidate
      aria-label="Create a retraining policy"
    >
      <fieldset className="form-section">
        <legend>What it retrains</legend>
        <div className="two-columns">
          <ModelChoice
            value={form.modelId}
            message={messages.modelId}
            onChange={(modelId) => onChange({ modelId })}
          />
          <DatasetChoice
            value={form.datasetId}
            message={messages.datasetId}
            onChange={(datasetId) => onChange({ datasetId })}
          />
        </div>
        <div className="form-grid">
          <TextField
            name="name"
            label="Name"
            hint="Optional; shown in the list of policies"
            placeholder="weekly retrain on corrections"
            value={form.name}
            message={messages.name}
            onChange={(name) => onChange({ name })}
            onTouched={onTouched}
          />
        </div>
      </fieldset>
      <TriggersSection form={form} onChange={onChange} onTouched={onTouched} messages={messages} />
      <PromotionSection form={form} onChange={onChange} onTouched={onTouched} messages={messages} />
      <TemplateSection
        form={form.template}
        onChange={onTemplateChange}
        onTouched={onTemplateTouched}
        messages={templateMessages}
      />
      <div className="form-footer">
        <FormProblems
          subject="policy"
          outcome="can be created"
          problemCount={problemCount}
          serverFieldProblemCount={serverFieldProblemCount}
          otherProblems={otherProblems}
        />
        <div className="button-row">
          <button type="submit" className="primary" disabled={saving}>
            {saving ? "Creating…" : "Create policy"}
          </button>
        </div>
      </div>
    </form>
  );
}
