import { DriftMethod } from "../gql/graphql";
import { trainingFormErrors, type FormErrors } from "../training/training-form-validation";
import { parseNumber } from "../training/parameter-rules";
import { TEMPLATE, type PolicyForm } from "./policy-form";

/**
 * The gateway's bounds (gateway/src/limits.ts `retraining`, policy-settings.ts): checked here as
 * the person types, and again by the server, whose word is final (the cron syntax is only its).
 */
export const policyBounds = {
  feedbackCount: 1_000_000,
  driftPValueMin: 0.005,
  driftPValueMax: 0.5,
  driftWindowMin: 20,
  driftWindowMax: 500,
  /** MMD² of two distributions is at most 2; a domain classifier's AUC − 0.5 at most 0.5. */
  minEffectMax: { [DriftMethod.Mmd]: 2, [DriftMethod.DomainClassifier]: 0.5 } as Record<DriftMethod, number>,
  cooldownHours: 365 * 24,
};

/** The template's own checks, less the two fields the policy fills in for every run. */
function templateErrors(form: PolicyForm): FormErrors {
  const errors = trainingFormErrors(
    { ...form.template, datasetVersionId: "policy", targetModelSlug: "policy" },
    null,
  );
  return Object.fromEntries(Object.entries(errors).map(([field, text]) => [`${TEMPLATE}${field}`, text]));
}

interface NumberRule {
  integer?: boolean;
  min?: number;
  max?: number;
  above?: number;
  below?: number;
}

function numberProblem(text: string, rule: NumberRule): string | null {
  const value = parseNumber(text);
  if (value === null) return "must be a number";
  if (rule.integer && !Number.isInteger(value)) return "must be a whole number";
  if (rule.min !== undefined && value < rule.min) return `must be at least ${rule.min.toLocaleString()}`;
  if (rule.max !== undefined && value > rule.max) return `must be at most ${rule.max.toLocaleString()}`;
  if (rule.above !== undefined && value <= rule.above) return `must be above ${rule.above}`;
  if (rule.below !== undefined && value >= rule.below) return `must be below ${rule.below}`;
  return null;
}

/**
 * What the server would refuse, found before sending, under the field the server names
 * (`triggers.drift.minEffect`, `trainingTemplate.learningRate`).
 */
export function policyFormErrors(form: PolicyForm): FormErrors {
  const errors: FormErrors = templateErrors(form);
  const check = (field: string, text: string, rule: NumberRule, words = field) => {
    const problem = numberProblem(text, rule);
    if (problem) errors[field] = `${words} ${problem}`;
  };
  if (!form.modelId) errors.modelId = "Choose the model whose new versions the policy trains";
  if (!form.datasetId) errors.datasetId = "Choose the dataset each run starts from";
  if (!form.feedbackCountOn && !form.scheduleOn && !form.uncertaintyOn && !form.driftOn) {
    errors.triggers = "Choose at least one trigger: a policy without one never fires";
  }
  if (form.feedbackCountOn) {
    check("triggers.feedbackCount", form.feedbackCount, {
      integer: true,
      min: 1,
      max: policyBounds.feedbackCount,
    });
  }
  if (form.scheduleOn && !form.schedule.trim()) {
    errors["triggers.schedule"] = "Give a cron schedule, e.g. 0 3 * * 1 for Mondays at 03:00 UTC";
  }
  if (form.uncertaintyOn) {
    check("triggers.meanUncertaintyAbove", form.meanUncertaintyAbove, { above: 0, below: 1 });
  }
  if (form.driftOn) {
    check("triggers.drift.pValue", form.pValue, {
      min: policyBounds.driftPValueMin,
      max: policyBounds.driftPValueMax,
    });
    check("triggers.drift.minEffect", form.minEffect, {
      above: 0,
      max: policyBounds.minEffectMax[form.driftMethod],
    });
    check("triggers.drift.window", form.window, {
      integer: true,
      min: policyBounds.driftWindowMin,
      max: policyBounds.driftWindowMax,
    });
  }
  check("cooldown", form.cooldownHours, { min: 0, max: policyBounds.cooldownHours }, "The cooldown (hours)");
  if (!form.alias.trim())
    errors["promote.alias"] = "Name the alias a winning version moves to, e.g. production";
  check("promote.mustBeatChampionBy", form.mustBeatChampionBy, { min: 0, max: 1 });
  return errors;
}

/** The checks of the fields a policy's edit form holds: not its model, dataset or template. */
export function policyEditErrors(form: PolicyForm): FormErrors {
  return Object.fromEntries(
    Object.entries(policyFormErrors(form)).filter(
      ([field]) => field !== "modelId" && field !== "datasetId" && !field.startsWith(TEMPLATE),
    ),
  );
}
