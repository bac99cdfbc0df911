import {
  DriftMethod,
  type RetrainingPolicyInput,
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
