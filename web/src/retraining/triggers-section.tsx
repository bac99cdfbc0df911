import { DriftMethod } from "../gql/graphql";
import type { FieldMessages } from "../training/field-messages";
import { CheckboxField, FieldError, NumberField, SelectField, TextField } from "../training/option-fields";
import type { PolicyForm } from "./policy-form";

export interface PolicySectionProps {
  form: PolicyForm;
  onChange(patch: Partial<PolicyForm>): void;
  onTouched(field: string): void;
  /** By the server's field names: `triggers.schedule`, `promote.alias`, … */
  messages: FieldMessages;
}

const driftMethods = [
  { value: DriftMethod.Mmd, label: "MMD: kernel two-sample test with a permutation p-value" },
  {
    value: DriftMethod.DomainClassifier,
    label: "Domain classifier: how well recent and training images tell apart (AUC)",
  },
];

/** What makes the policy fire: any ticked trigger that holds at an evaluation. */
export function TriggersSection({ form, onChange, onTouched, messages }: PolicySectionProps) {
  return (
    <fieldset className="form-section" aria-describedby={messages.triggers ? "triggers-error" : undefined}>
      <legend>Triggers</legend>
      <p className="hint">The policy is evaluated on a schedule; it fires when any ticked trigger holds.</p>
      <FieldError id="triggers-error" message={messages.triggers} />
      <div className="trigger">
        <CheckboxField
          name="feedbackCountOn"
          label="Enough new corrections"
          checked={form.feedbackCountOn}
          onChange={(feedbackCountOn) => onChange({ feedbackCountOn })}
        />
        {form.feedbackCountOn && (
          <NumberField
            name="triggers.feedbackCount"
            label="Corrections since the last run"
            hint="Corrections with a right label not yet used by a run: 1 to 1,000,000"
            value={form.feedbackCount}
            message={messages["triggers.feedbackCount"]}
            onChange={(feedbackCount) => onChange({ feedbackCount })}
            onTouched={onTouched}
          />
        )}
      </div>
      <div className="trigger">
        <CheckboxField
          name="scheduleOn"
          label="On a schedule"
          checked={form.scheduleOn}
          onChange={(scheduleOn) => onChange({ scheduleOn })}
        />
        {form.scheduleOn && (
          <TextField
            name="triggers.schedule"
            label="Cron schedule"
            hint="Five fields, minute hour day-of-month month day-of-week (or six, seconds first), in UTC: 0 3 * * 1 is Mondays at 03:00"
            value={form.schedule}
            message={messages["triggers.schedule"]}
            onChange={(schedule) => onChange({ schedule })}
            onTouched={onTouched}
          />
        )}
      </div>
      <div className="trigger">
        <CheckboxField
          name="uncertaintyOn"
          label="The model grows unsure"
          checked={form.uncertaintyOn}
          onChange={(uncertaintyOn) => onChange({ uncertaintyOn })}
        />
        {form.uncertaintyOn && (
          <NumberField
            name="triggers.meanUncertaintyAbove"
            label="Mean uncertainty above"
            hint="Mean normalised entropy of the last 200 predictions, above 0 and below 1 (1: every label alike)"
            value={form.meanUncertaintyAbove}
            message={messages["triggers.meanUncertaintyAbove"]}
            onChange={(meanUncertaintyAbove) => onChange({ meanUncertaintyAbove })}
            onTouched={onTouched}
          />
        )}
      </div>
      <div className="trigger">
        <CheckboxField
          name="driftOn"
          label="The images drift from the training data"
          hint="Compares embeddings of recent predictions with those of the training version"
          checked={form.driftOn}
          onChange={(driftOn) => onChange({ driftOn })}
        />
        {form.driftOn && (
          <div className="form-grid form-grid-4">
            <SelectField
              name="triggers.drift.method"
              label="Test"
              value={form.driftMethod}
              options={driftMethods}
              message={messages["triggers.drift.method"]}
              onChange={(driftMethod) => onChange({ driftMethod })}
            />
            <NumberField
              name="triggers.drift.pValue"
              label="p-value below"
              hint="Drift needs p below this: 0.005 to 0.5"
              value={form.pValue}
              message={messages["triggers.drift.pValue"]}
              onChange={(pValue) => onChange({ pValue })}
              onTouched={onTouched}
            />
            <NumberField
              name="triggers.drift.minEffect"
              label="Minimum effect"
              hint="Large windows make tiny shifts significant; this keeps them quiet. MMD²: above 0, at most 2; domain classifier (AUC − 0.5): at most 0.5"
              value={form.minEffect}
              message={messages["triggers.drift.minEffect"]}
              onChange={(minEffect) => onChange({ minEffect })}
              onTouched={onTouched}
            />
            <NumberField
              name="triggers.drift.window"
              label="Window (predictions)"
              hint="The latest predictions compared, and as many training samples: 20 to 500"
              value={form.window}
              message={messages["triggers.drift.window"]}
              onChange={(window) => onChange({ window })}
              onTouched={onTouched}
            />
          </div>
        )}
      </div>
    </fieldset>
  );
}
