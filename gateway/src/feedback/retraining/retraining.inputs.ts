import { Field, Float, ID, InputType, Int, registerEnumType } from "type-graphql";
import { limits, limitNotes } from "../../limits";
import { TrainingOptionField } from "../../training/training.inputs";
import { trainingOptionNames } from "../../training/training-option-spec";
import type { TrainingOptionsInput } from "../../training/training-options";
import {
  DEFAULT_COOLDOWN_SECONDS,
  DEFAULT_DRIFT_P_VALUE,
  DEFAULT_DRIFT_WINDOW,
  DEFAULT_PROMOTION_ALIAS,
} from "./policy-settings";

const bounds = limits.retraining;

export enum DriftMethod {
  MMD = "MMD",
  DOMAIN_CLASSIFIER = "DOMAIN_CLASSIFIER",
}
registerEnumType(DriftMethod, {
  name: "DriftMethod",
  description: "How recent predictions' FEATURE embeddings are compared with the training version's",
  valuesConfig: {
    MMD: {
      description:
        "Unbiased MMD² with an RBF kernel (bandwidth: the median pairwise distance), p-value from 499 seeded permutations; the effect is MMD² itself (0 … 2)",
    },
    DOMAIN_CLASSIFIER: {
      description:
        "Logistic regression telling recent from training embeddings, 5-fold cross-validated ROC AUC, one-sided Mann–Whitney p-value (normal approximation); the effect is AUC − 0.5",
    },
  },
});

@InputType({ description: "Fires when recent predictions no longer look like the champion's training data" })
export class DriftTriggerInput {
  @Field(() => DriftMethod)
  method!: DriftMethod;

  @Field(() => Float, {
    nullable: true,
    defaultValue: DEFAULT_DRIFT_P_VALUE,
    description: `Drift needs p below this; ${bounds.driftPValueMin} to ${bounds.driftPValueMax}`,
  })
  pValue?: number | null;

  @Field(() => Float, {
    description:
      "The smallest effect that counts, since with large windows everything is significant: above 0, at most 2 for MMD (MMD²), 0.5 for DOMAIN_CLASSIFIER (AUC − 0.5)",
  })
  minEffect!: number;

  @Field(() => Int, {
    nullable: true,
    defaultValue: DEFAULT_DRIFT_WINDOW,
    description:
      `The latest predictions compared (and as many training samples): ${bounds.driftWindowMin} to ${bounds.driftWindow}. ` +
      "After a test, drift is tested again only once this many new predictions have arrived, so overlapping windows do not multiply false alarms",
  })
  window?: number | null;
}

@InputType({ description: "Any one that holds fires the policy (after its cooldown); give at least one" })
export class RetrainingTriggersInput {
  @Field(() => Int, {
    nullable: true,
    description:
      `Corrections not yet used by a run, 1 to ${bounds.feedbackCount}: feedback whose correct label differs from the prediction's top label (confirmations do not count), ` +
      `written by the model's owner or an admin, about an image the policy's owner may use. A run takes at most the newest ${bounds.correctionsPerRun}`,
  })
  feedbackCount?: number | null;

  @Field(() => String, {
    nullable: true,
    description: `A cron expression in UTC (5 fields, or 6 with seconds first; at most ${bounds.scheduleLength} characters), checked on each scheduler tick`,
  })
  schedule?: string | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "Mean normalised entropy (0 … 1) of the model's last 200 predictions since the last firing, above which it fires",
  })
  meanUncertaintyAbove?: number | null;

  @Field(() => DriftTriggerInput, { nullable: true })
  drift?: DriftTriggerInput | null;
}

@InputType()
export class PromotionInput {
  @Field(() => String, {
    defaultValue: DEFAULT_PROMOTION_ALIAS,
    description: "The alias that names the champion and moves to a winning challenger",
  })
  alias!: string;

  @Field(() => Float, {
    nullable: true,
    defaultValue: 0,
    description:
      "Accuracy (0 to 1) by which the challenger must beat the champion on the same held-out set: it is promoted only when its accuracy is " +
      `above the champion's plus this. With fewer than ${bounds.heldOutMin} held-out samples a run does not promote, unless no version has the alias`,
  })
  mustBeatChampionBy?: number | null;
}

/** The TrainingInput fields a run trains with (its dataset version and target model are the policy's). */
export type TrainingTemplate = TrainingOptionsInput & { baseModelVersionId: string };

@InputType({
  description:
    "The TrainingInput fields without datasetVersionId and targetModelSlug: each run trains on the version it makes, into the policy's model. Checked like startTraining's input when the policy is created.",
})
export class TrainingTemplateInput {
  @Field(() => ID, {
    description: "An ONNX model version of the registry, or the built-in embedder (system/feature-embedder)",
  })
  baseModelVersionId!: string;
}
// Every option of the table (training-option-spec.ts), declared as TrainingInput declares it.
for (const name of trainingOptionNames) TrainingOptionField()(TrainingTemplateInput.prototype, name);

@InputType()
export class RetrainingPolicyInput {
  @Field(() => ID, { description: "A model of yours: each run's challenger becomes its next version" })
  modelId!: string;

  @Field(() => ID, { description: "A dataset you may change: each run makes its next version" })
  datasetId!: string;

  @Field(() => String, { nullable: true, description: limitNotes.name })
  name?: string | null;

  @Field(() => TrainingTemplateInput)
  trainingTemplate!: TrainingTemplateInput;

  @Field(() => RetrainingTriggersInput)
  triggers!: RetrainingTriggersInput;

  @Field(() => Int, {
    nullable: true,
    defaultValue: DEFAULT_COOLDOWN_SECONDS,
    description: `Seconds after a firing during which it does not fire again: 0 to ${bounds.cooldownSeconds}`,
  })
  cooldown?: number | null;

  @Field(() => PromotionInput)
  promote!: PromotionInput;
}

@InputType({ description: "Fields left out keep their value; triggers and promote are replaced whole" })
export class RetrainingPolicyPatch {
  @Field(() => String, { nullable: true, description: limitNotes.name })
  name?: string | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;

  @Field(() => Int, { nullable: true, description: `0 to ${bounds.cooldownSeconds} seconds` })
  cooldown?: number | null;

  @Field(() => RetrainingTriggersInput, { nullable: true })
  triggers?: RetrainingTriggersInput | null;

  @Field(() => PromotionInput, { nullable: true })
  promote?: PromotionInput | null;
}
