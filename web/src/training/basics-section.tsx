import { BaseModelPicker } from "./base-model-picker";
import { DatasetVersionPicker, type ChosenDatasetVersion } from "./dataset-version-picker";
import { numberField, type FormSectionProps } from "./form-section";
import { CheckboxField, NumberField, TextField } from "./option-fields";

export interface BasicsSectionProps extends FormSectionProps {
  chosenDatasetVersion: ChosenDatasetVersion | null;
}

/** What to train on, from which base, where the result goes, and the loop's basic numbers. */
export function BasicsSection({ chosenDatasetVersion, ...section }: BasicsSectionProps) {
  const { form, onChange, onTouched, messages } = section;
  return (
    <fieldset className="form-section">
      <legend>Basics</legend>
      <div className="two-columns">
        <DatasetVersionPicker
          value={form.datasetVersionId}
          chosen={chosenDatasetVersion}
          message={messages.datasetVersionId}
          onChange={(datasetVersionId) => onChange({ datasetVersionId })}
        />
        <BaseModelPicker
          value={form.baseModelVersionId}
          featureOutput={form.featureOutput}
          message={messages.baseModelVersionId}
          featureOutputMessage={messages.featureOutput}
          onChange={(baseModelVersionId) => onChange({ baseModelVersionId })}
          onFeatureOutputChange={(featureOutput) => onChange({ featureOutput })}
        />
      </div>
      <div className="form-grid">
        <TextField
          name="targetModelSlug"
          label="Target model"
          required
          placeholder="flowers-classifier"
          hint="A model of yours (created when new) that gets the trained model as its next version"
          value={form.targetModelSlug}
          message={messages.targetModelSlug}
          onChange={(targetModelSlug) => onChange({ targetModelSlug })}
          onTouched={onTouched}
        />
      </div>
      <div className="form-grid form-grid-4">
        <NumberField {...numberField(section, "epochs", "Epochs")} />
        <NumberField {...numberField(section, "batchSize", "Batch size")} />
        <NumberField {...numberField(section, "validationSplit", "Validation split")} />
        <NumberField {...numberField(section, "seed", "Seed")} />
      </div>
      <div className="form-grid">
        <CheckboxField
          name="useTransferLearning"
          label="Transfer learning: train on the base model's features"
          checked={form.useTransferLearning}
          message={messages.useTransferLearning}
          onChange={(useTransferLearning) => onChange({ useTransferLearning })}
        />
        <CheckboxField
          name="freezeBaseModel"
          label="Freeze the base model"
          checked={form.freezeBaseModel}
          message={messages.freezeBaseModel}
          onChange={(freezeBaseModel) => onChange({ freezeBaseModel })}
        />
      </div>
    </fieldset>
  );
}
