import { hpSpaceErrors } from "./hp-space";
import { fixedOptionNames, trainingOptionSpecs, type FixedOptionName } from "./option-spec";
import { optionRules, parseNumber, ruleProblem } from "./parameter-rules";
import { activeNumericOptions, type TrainingForm } from "./training-form";

/** Problems by the name the server gives the field (`learningRate`, `hpSpace[2]`, `classWeights[0].weight`). */
export type FormErrors = Record<string, string>;

/** As the registry checks slugs (gateway/src/models/model-validation.ts). */
const SLUG = /^[a-z0-9](?:[a-z0-9._-]{0,98}[a-z0-9])?$/;

/**
 * What the server would refuse, found before sending: each problem under the field the server
 * would name. `classes` are the chosen dataset version's class names once known; explicit class
 * weights must name them.
 */
export function trainingFormErrors(form: TrainingForm, classes: readonly string[] | null): FormErrors {
  const errors: FormErrors = {};
  if (!form.datasetVersionId) errors.datasetVersionId = "Choose the dataset version to train on";
  if (!form.baseModelVersionId)
    errors.baseModelVersionId = "Choose the base model whose features to train on";
  const slugProblem = targetSlugProblem(form.targetModelSlug);
  if (slugProblem) errors.targetModelSlug = slugProblem;
  for (const name of fixedOptionNames) {
    if (form[name] !== trainingOptionSpecs[name].default) errors[name] = unsupported[name];
  }
  for (const option of activeNumericOptions(form)) {
    const value = parseNumber(form[option]);
    const problem = value === null ? "must be a number" : ruleProblem(value, optionRules[option]);
    if (problem) errors[option] = `${option} ${problem}`;
  }
  Object.assign(errors, classWeightErrors(form, classes));
  if (form.enableHyperparameterTuning) Object.assign(errors, hpSpaceErrors(form.hpSpace, form.strategy));
  return errors;
}

/** Why the form refuses anything but the default of an option the tier supports one way only. */
const unsupported: Record<FixedOptionName, string> = {
  useTransferLearning:
    "Training from scratch is not supported: a head is trained on the features of a frozen base model",
  freezeBaseModel: "Only frozen base models are supported: the base model's weights never change",
};

function targetSlugProblem(raw: string): string | null {
  const value = raw.trim();
  if (value === "") return "Name the model that gets the trained version, e.g. flowers-classifier";
  const slug = value.includes("/") ? value.slice(value.indexOf("/") + 1) : value;
  if (!SLUG.test(slug)) {
    return `"${slug}" is not a valid slug: use 1–100 lowercase letters, digits, ".", "_" or "-", starting and ending with a letter or digit`;
  }
  return null;
}

function classWeightErrors(form: TrainingForm, classes: readonly string[] | null): FormErrors {
  const errors: FormErrors = {};
  const seen = new Set<string>();
  form.classWeights.forEach((row, index) => {
    const field = `classWeights[${index}]`;
    if (row.label === "") errors[field] = "Choose a class";
    else if (classes && !classes.includes(row.label)) {
      errors[field] = `"${row.label}" is not a class of the chosen dataset version`;
    } else if (seen.has(row.label)) errors[field] = `"${row.label}" is given twice`;
    seen.add(row.label);
    const weight = parseNumber(row.weight);
    if (weight === null || weight <= 0)
      errors[`${field}.weight`] = "The weight must be a number greater than 0";
  });
  return errors;
}
