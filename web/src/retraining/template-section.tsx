import type { FormSectionProps } from "../training/form-section";
import { numberField } from "../training/form-section";
import { BaseModelPicker } from "../training/base-model-picker";
import { NumberField } from "../training/option-fields";
import {
  AugmentationSection,
  EarlyStoppingSection,
  HeadSection,
  OptimizerSection,
} from "../training/option-sections";
import { SearchSection } from "../training/search-section";

/**
 * The training options every run starts from: the start-training form's sections, less the
 * dataset version and the target model, which the policy fills in for each run.
 */
export function TemplateSection(section: FormSectionProps) {
  const { form, onChange, messages } = section;
  return (
    <>
      <fieldset className="form-section">
        <legend>Training template</legend>
        <p className="hint">
          Every run trains with these options on the new dataset version, into the policy&apos;s model.
        </p>
        <BaseModelPicker
          value={form.baseModelVersionId}
          featureOutput={form.featureOutput}
          message={messages.baseModelVersionId}
          featureOutputMessage={messages.featureOutput}
          onChange={(baseModelVersionId) => onChange({ baseModelVersionId })}
          onFeatureOutputChange={(featureOutput) => onChange({ featureOutput })}
        />
        <div className="form-grid form-grid-4">
          <NumberField {...numberField(section, "epochs", "Epochs")} />
          <NumberField {...numberField(section, "batchSize", "Batch size")} />
          <NumberField {...numberField(section, "validationSplit", "Validation split")} />
          <NumberField {...numberField(section, "seed", "Seed")} />
        </div>
      </fieldset>
      <HeadSection {...section} />
      <OptimizerSection {...section} />
      <EarlyStoppingSection {...section} />
      <AugmentationSection {...section} />
      <SearchSection {...section} />
    </>
  );
}
