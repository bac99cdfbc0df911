import type { FieldMessages } from "./field-messages";
import { optionHint, type NumericOption } from "./parameter-rules";
import type { TrainingForm } from "./training-form";
import type { NumberFieldProps } from "./option-fields";

/** What every group of the start form gets: the form, a way to change it, and what to say per field. */
export interface FormSectionProps {
  form: TrainingForm;
  /** Changes these fields; the server's problems about them are dropped. */
  onChange(patch: Partial<TrainingForm>): void;
  onTouched(field: string): void;
  messages: FieldMessages;
}

/** The props of a NumberField bound to one numeric option of the form, hinted by the options table. */
export function numberField(section: FormSectionProps, name: NumericOption, label: string): NumberFieldProps {
  return {
    name,
    label,
    hint: optionHint(name),
    value: section.form[name],
    message: section.messages[name],
    onChange: (value) => section.onChange({ [name]: value }),
    onTouched: section.onTouched,
  };
}
