import {
  DriftMethod,
  type RetrainingPolicyInput,
  type RetrainingPolicyPatch,
  type RetrainingPolicySummaryFragment,
  type RetrainingTriggersInput,
  type TrainingTemplateInput,
} from "../gql/graphql";
import { defaultTrainingForm, trainingInput, type TrainingForm } from "../training/training-form";
import { parseNumber } from "../training/parameter-rules";

/**
 * The create form as typed (numbers as text, as in the start-training form). A trigger counts only
 * while its box is ticked; its fields keep what was typed when it is unticked.
 */
export interface PolicyForm {
  modelId: string;
  datasetId: string;
  name: string;
  /** The training options of every run; its dataset version and target model are the policy's. */
  template: TrainingForm;
  feedbackCountOn: boolean;
  feedbackCount: string;
  scheduleOn: boolean;
  schedule: string;
  uncertaintyOn: boolean;
  meanUncertaintyAbove: string;
  driftOn: boolean;
  driftMethod: DriftMethod;
  pValue: string;
  minEffect: string;
  window: string;
  cooldownHours: string;
  alias: string;
  mustBeatChampionBy: string;
}

/** The API's defaults where it has them (p 0.01, window 200, a cooldown of an hour, alias production, margin 0). */
export function defaultPolicyForm(modelId = ""): PolicyForm {
  return {
    modelId,
    datasetId: "",
    name: "",
    template: defaultTrainingForm(),
    feedbackCountOn: true,
    feedbackCount: "200",
    scheduleOn: false,
    schedule: "0 3 * * 1",
    uncertaintyOn: false,
    meanUncertaintyAbove: "0.5",
    driftOn: false,
    driftMethod: DriftMethod.Mmd,
    pValue: "0.01",
    minEffect: "0.05",
    window: "200",
    cooldownHours: "1",
    alias: "production",
    mustBeatChampionBy: "0",
  };
}

/** Prefix of the template's fields in the server's naming: `trainingTemplate.learningRate`. */
export const TEMPLATE = "trainingTemplate.";

/** TrainingInput less what the policy decides itself: the dataset version and the target model. */
export function templateInput(form: TrainingForm): TrainingTemplateInput {
  const { datasetVersionId: _version, targetModelSlug: _target, ...template } = trainingInput(form);
  return template;
}

function number(text: string): number {
  return parseNumber(text) ?? Number.NaN;
}

export function triggersInput(form: PolicyForm): RetrainingTriggersInput {
  const triggers: RetrainingTriggersInput = {};
  if (form.feedbackCountOn) triggers.feedbackCount = number(form.feedbackCount);
  if (form.scheduleOn) triggers.schedule = form.schedule.trim();
  if (form.uncertaintyOn) triggers.meanUncertaintyAbove = number(form.meanUncertaintyAbove);
  if (form.driftOn) {
    triggers.drift = {
      method: form.driftMethod,
      pValue: number(form.pValue),
      minEffect: number(form.minEffect),
      window: number(form.window),
    };
  }
  return triggers;
}

const SECONDS_PER_HOUR = 3600;

/** What createRetrainingPolicy gets. Call it on a form that passed `policyFormErrors`. */
export function policyInput(form: PolicyForm): RetrainingPolicyInput {
  const input: RetrainingPolicyInput = {
    modelId: form.modelId,
    datasetId: form.datasetId,
    trainingTemplate: templateInput(form.template),
    triggers: triggersInput(form),
    cooldown: Math.round(number(form.cooldownHours) * SECONDS_PER_HOUR),
    promote: { alias: form.alias.trim(), mustBeatChampionBy: number(form.mustBeatChampionBy) },
  };
  if (form.name.trim()) input.name = form.name.trim();
  return input;
}

/** What the edit form shows of a policy: its own settings; the model, dataset and template stay. */
export function policyFormOf(policy: RetrainingPolicySummaryFragment): PolicyForm {
  const defaults = defaultPolicyForm(policy.model.id);
  const { triggers, promote } = policy;
  const drift = triggers.drift;
  return {
    ...defaults,
    datasetId: policy.dataset.id,
    name: policy.name ?? "",
    feedbackCountOn: triggers.feedbackCount != null,
    feedbackCount: triggers.feedbackCount != null ? String(triggers.feedbackCount) : defaults.feedbackCount,
    scheduleOn: triggers.schedule != null,
    schedule: triggers.schedule ?? defaults.schedule,
    uncertaintyOn: triggers.meanUncertaintyAbove != null,
    meanUncertaintyAbove:
      triggers.meanUncertaintyAbove != null
        ? String(triggers.meanUncertaintyAbove)
        : defaults.meanUncertaintyAbove,
    driftOn: drift != null,
    driftMethod: drift?.method ?? defaults.driftMethod,
    pValue: drift ? String(drift.pValue) : defaults.pValue,
    minEffect: drift ? String(drift.minEffect) : defaults.minEffect,
    window: drift ? String(drift.window) : defaults.window,
    cooldownHours: String(policy.cooldown / SECONDS_PER_HOUR),
    alias: promote.alias,
    mustBeatChampionBy: String(promote.mustBeatChampionBy),
  };
}

/**
 * What updateRetrainingPolicy gets from the edit form: triggers and promotion whole (the API
 * replaces them whole), the cooldown, and the name unless it was emptied (the API keeps a name
 * left out). Call it on a form that passed `policyEditErrors`.
 */
export function policyPatch(form: PolicyForm): RetrainingPolicyPatch {
  const patch: RetrainingPolicyPatch = {
    triggers: triggersInput(form),
    cooldown: Math.round(number(form.cooldownHours) * SECONDS_PER_HOUR),
    promote: { alias: form.alias.trim(), mustBeatChampionBy: number(form.mustBeatChampionBy) },
  };
  if (form.name.trim()) patch.name = form.name.trim();
  return patch;
}

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

export function changedFields(patch: Partial<PolicyForm>): string[] {
  const names = Object.keys(patch) as Array<keyof PolicyForm>;
  const fields = names.map((name) => serverNames[name] ?? name);
  // Any trigger ticked or changed answers "choose at least one trigger".
  return names.some((name) => serverNames[name]?.startsWith("triggers")) ? [...fields, "triggers"] : fields;
}
