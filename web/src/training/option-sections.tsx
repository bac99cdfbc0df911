import { LearningRateSchedule, Optimizer } from "../gql/graphql";
import { numberField, type FormSectionProps } from "./form-section";
import { monitorLabels } from "./monitor-labels";
import { CheckboxField, NumberField, SelectField } from "./option-fields";

const scheduleLabels: Record<LearningRateSchedule, string> = {
  [LearningRateSchedule.Constant]: "Constant",
  [LearningRateSchedule.Step]: "Step",
  [LearningRateSchedule.Cosine]: "Cosine",
  [LearningRateSchedule.OnPlateau]: "On plateau",
};

const options = <T extends string>(labels: Record<T, string>) =>
  (Object.keys(labels) as T[]).map((value) => ({ value, label: labels[value] }));

/** The dense layers trained on top of the frozen base. */
export function HeadSection(section: FormSectionProps) {
  return (
    <fieldset className="form-section">
      <legend>Head</legend>
      <div className="form-grid form-grid-3">
        <NumberField {...numberField(section, "trainableLayersCount", "Hidden layers")} />
        <NumberField {...numberField(section, "hiddenUnits", "Hidden units")} />
        <NumberField {...numberField(section, "dropout", "Dropout")} />
      </div>
    </fieldset>
  );
}

export function OptimizerSection(section: FormSectionProps) {
  const { form, onChange, messages } = section;
  return (
    <fieldset className="form-section">
      <legend>Optimizer and schedule</legend>
      <div className="form-grid form-grid-3">
        <SelectField
          name="optimizer"
          label="Optimizer"
          value={form.optimizer}
          options={[
            { value: Optimizer.Adam, label: "Adam" },
            { value: Optimizer.Sgd, label: "SGD with momentum" },
          ]}
          message={messages.optimizer}
          onChange={(optimizer) => onChange({ optimizer })}
        />
        <NumberField {...numberField(section, "learningRate", "Learning rate")} />
        <NumberField {...numberField(section, "weightDecay", "Weight decay")} />
        {form.optimizer === Optimizer.Sgd && (
          <NumberField {...numberField(section, "momentum", "Momentum")} />
        )}
      </div>
      <div className="form-grid form-grid-3">
        <SelectField
          name="lrSchedule"
          label="Learning-rate schedule"
          hint="Step: × gamma every few epochs. Cosine: decays to 0 over the epochs. On plateau: × a factor when the monitored metric stalls."
          value={form.lrSchedule}
          options={options(scheduleLabels)}
          message={messages.lrSchedule}
          onChange={(lrSchedule) => onChange({ lrSchedule })}
        />
        {form.lrSchedule === LearningRateSchedule.Step && (
          <>
            <NumberField {...numberField(section, "lrStepSize", "Step size (epochs)")} />
            <NumberField {...numberField(section, "lrGamma", "Gamma")} />
          </>
        )}
        {form.lrSchedule === LearningRateSchedule.OnPlateau && (
          <>
            <NumberField {...numberField(section, "lrPlateauPatience", "Plateau patience (epochs)")} />
            <NumberField {...numberField(section, "lrPlateauFactor", "Plateau factor")} />
          </>
        )}
      </div>
    </fieldset>
  );
}

export function EarlyStoppingSection(section: FormSectionProps) {
  const { form, onChange, messages } = section;
  return (
    <fieldset className="form-section">
      <legend>Early stopping</legend>
      <CheckboxField
        name="enableEarlyStopping"
        label="Stop when the monitored metric stops improving"
        checked={form.enableEarlyStopping}
        message={messages.enableEarlyStopping}
        onChange={(enableEarlyStopping) => onChange({ enableEarlyStopping })}
      />
      <div className="form-grid form-grid-3">
        <SelectField
          name="monitor"
          label="Monitored metric"
          hint="Also picks the best epoch and trial, and drives the on-plateau schedule"
          value={form.monitor}
          options={options(monitorLabels)}
          message={messages.monitor}
          onChange={(monitor) => onChange({ monitor })}
        />
        {form.enableEarlyStopping && (
          <>
            <NumberField {...numberField(section, "patience", "Patience (epochs)")} />
            <NumberField {...numberField(section, "minDelta", "Minimum change")} />
          </>
        )}
      </div>
    </fieldset>
  );
}

export function AugmentationSection(section: FormSectionProps) {
  const { form, onChange, messages } = section;
  return (
    <fieldset className="form-section">
      <legend>Augmentation</legend>
      <CheckboxField
        name="enableDataAugmentation"
        label="Augment training images: flips, crops, colour jitter and small rotations"
        hint="Applied before feature extraction; validation and test images are never augmented"
        checked={form.enableDataAugmentation}
        message={messages.enableDataAugmentation}
        onChange={(enableDataAugmentation) => onChange({ enableDataAugmentation })}
      />
      {form.enableDataAugmentation && (
        <div className="form-grid form-grid-3">
          <NumberField {...numberField(section, "augmentedCopies", "Augmented copies")} />
        </div>
      )}
    </fieldset>
  );
}
