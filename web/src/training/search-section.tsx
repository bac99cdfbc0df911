import { SearchStrategy } from "../gql/graphql";
import { numberField, type FormSectionProps } from "./form-section";
import { HpSpaceEditor } from "./hp-space-editor";
import { CheckboxField, NumberField, SelectField } from "./option-fields";

const strategyLabels: Record<SearchStrategy, string> = {
  [SearchStrategy.Bayesian]: "Bayesian (TPE): learns from earlier trials",
  [SearchStrategy.Random]: "Random: seeded draws",
  [SearchStrategy.Grid]: "Grid: every combination",
};

/** Hyperparameter search: many trials over a space, the best one exported. */
export function SearchSection(section: FormSectionProps) {
  const { form, onChange, onTouched, messages } = section;
  return (
    <fieldset className="form-section">
      <legend>Hyperparameter search</legend>
      <CheckboxField
        name="enableHyperparameterTuning"
        label="Search hyperparameters: run several trials and keep the best"
        hint="Each trial trains the head with other values; the trial best by the monitored metric becomes the model"
        checked={form.enableHyperparameterTuning}
        message={messages.enableHyperparameterTuning}
        onChange={(enableHyperparameterTuning) => onChange({ enableHyperparameterTuning })}
      />
      {form.enableHyperparameterTuning && (
        <>
          <div className="form-grid form-grid-3">
            <SelectField
              name="strategy"
              label="Strategy"
              value={form.strategy}
              options={(Object.keys(strategyLabels) as SearchStrategy[]).map((value) => ({
                value,
                label: strategyLabels[value],
              }))}
              message={messages.strategy}
              onChange={(strategy) => onChange({ strategy })}
            />
            <NumberField {...numberField(section, "maxTrials", "Max trials")} />
            <CheckboxField
              name="pruneTrials"
              label="Prune poor trials early"
              hint="Stops a trial doing worse than the median of earlier trials at the same epoch"
              checked={form.pruneTrials}
              message={messages.pruneTrials}
              onChange={(pruneTrials) => onChange({ pruneTrials })}
            />
          </div>
          <h3 className="form-subheading">Search space</h3>
          <HpSpaceEditor
            rows={form.hpSpace}
            strategy={form.strategy}
            messages={messages}
            onChange={(hpSpace) => onChange({ hpSpace })}
            onTouched={() => onTouched("hpSpace")}
          />
        </>
      )}
    </fieldset>
  );
}
