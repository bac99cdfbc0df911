import { Field, Float, ID, InputType, Int } from "type-graphql";
import {
  ClassWeighting,
  LearningRateSchedule,
  MonitoredMetric,
  Optimizer,
  SearchStrategy,
  TrainingStatus,
} from "./training-enums";
import { optionEnums, trainingDefaults } from "./training-defaults";
import {
  isTrainingOptionName,
  searchableParameters,
  trainingOptionSpec,
  type TrainingOptionSpec,
} from "./training-option-spec";
import { limits } from "../limits";

const { training: bounds } = limits;

@InputType({
  description:
    "One dimension of a search: `min`/`max` (with `logScale`, `integer`, and GRID's `steps`), or `values`, or `choices` (optimizer)",
})
export class HyperparameterRangeInput {
  @Field(() => String, {
    description: `${searchableParameters.slice(0, -1).join(", ")} or ${searchableParameters.at(-1)}`,
  })
  name!: string;

  @Field(() => Float, { nullable: true })
  min?: number | null;

  @Field(() => Float, { nullable: true })
  max?: number | null;

  @Field(() => Boolean, { nullable: true })
  logScale?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  integer?: boolean | null;

  @Field(() => Int, {
    nullable: true,
    description: `GRID's points in the range, 2 to ${bounds.searchPoints}`,
  })
  steps?: number | null;

  @Field(() => [Float], { nullable: true, description: `At most ${bounds.searchPoints}` })
  values?: number[] | null;

  @Field(() => [String], { nullable: true, description: `At most ${bounds.searchPoints}` })
  choices?: string[] | null;
}

@InputType()
export class ClassWeightInput {
  @Field(() => String, { description: "A class name of the dataset version" })
  label!: string;

  @Field(() => Float)
  weight!: number;
}

/**
 * A TrainingInput field declared by its entry in the options table (training-option-spec.ts):
 * nullable, with the table's GraphQL type, default and description. A property the table does not
 * list fails at start.
 */
export function TrainingOptionField(): PropertyDecorator {
  return (prototype, property) => {
    const name = String(property);
    if (!isTrainingOptionName(name)) {
      throw new Error(`TrainingInput.${name} is not an option of trainingOptionSpecs`);
    }
    const spec = trainingOptionSpec(name);
    Field(graphqlType(spec), {
      nullable: true,
      defaultValue: (trainingDefaults as Partial<Record<string, unknown>>)[name],
      description: spec.description,
    })(prototype, property);
  };
}

const scalarTypes = { float: Float, int: Int, boolean: Boolean, string: String } as const;

function graphqlType(spec: TrainingOptionSpec) {
  switch (spec.type) {
    case "enum":
      return () => optionEnums[spec.enum];
    case "classWeights":
      return () => [ClassWeightInput];
    case "searchSpace":
      return () => [HyperparameterRangeInput];
    default:
      return () => scalarTypes[spec.type];
  }
}

@InputType({
  description:
    "What to train on, from which base, where to register the result, and how. Leave an option out for its default.",
})
export class TrainingInput {
  @Field(() => ID)
  datasetVersionId!: string;

  @Field(() => ID, {
    description: "An ONNX model version of the registry, or the built-in embedder (system/feature-embedder)",
  })
  baseModelVersionId!: string;

  @Field(() => String, {
    description: "A model of yours (created when new) that gets the trained model as its next version",
  })
  targetModelSlug!: string;

  @TrainingOptionField() learningRate?: number | null;
  @TrainingOptionField() epochs?: number | null;
  @TrainingOptionField() batchSize?: number | null;
  @TrainingOptionField() validationSplit?: number | null;
  @TrainingOptionField() useTransferLearning?: boolean | null;
  @TrainingOptionField() freezeBaseModel?: boolean | null;
  @TrainingOptionField() trainableLayersCount?: number | null;
  @TrainingOptionField() hiddenUnits?: number | null;
  @TrainingOptionField() dropout?: number | null;
  @TrainingOptionField() weightDecay?: number | null;
  @TrainingOptionField() optimizer?: Optimizer | null;
  @TrainingOptionField() momentum?: number | null;
  @TrainingOptionField() lrSchedule?: LearningRateSchedule | null;
  @TrainingOptionField() lrStepSize?: number | null;
  @TrainingOptionField() lrGamma?: number | null;
  @TrainingOptionField() lrPlateauPatience?: number | null;
  @TrainingOptionField() lrPlateauFactor?: number | null;
  @TrainingOptionField() enableEarlyStopping?: boolean | null;
  @TrainingOptionField() patience?: number | null;
  @TrainingOptionField() minDelta?: number | null;
  @TrainingOptionField() monitor?: MonitoredMetric | null;
  @TrainingOptionField() enableDataAugmentation?: boolean | null;
  @TrainingOptionField() augmentedCopies?: number | null;
  @TrainingOptionField() classWeighting?: ClassWeighting | null;
  @TrainingOptionField() classWeights?: ClassWeightInput[] | null;
  @TrainingOptionField() seed?: number | null;
  @TrainingOptionField() featureOutput?: string | null;
  @TrainingOptionField() enableHyperparameterTuning?: boolean | null;
  @TrainingOptionField() hpSpace?: HyperparameterRangeInput[] | null;
  @TrainingOptionField() strategy?: SearchStrategy | null;
  @TrainingOptionField() maxTrials?: number | null;
  @TrainingOptionField() pruneTrials?: boolean | null;
}

@InputType()
export class TrainingJobFilter {
  @Field(() => [TrainingStatus], { nullable: true })
  status?: TrainingStatus[] | null;

  @Field(() => ID, { nullable: true })
  datasetVersionId?: string | null;

  @Field(() => ID, { nullable: true })
  baseModelVersionId?: string | null;

  @Field(() => String, { nullable: true })
  targetModelSlug?: string | null;

  @Field(() => String, { nullable: true, description: "Owner's handle" })
  owner?: string | null;
}
