import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { connectionOf, type Connection } from "../../graphql/connection";
import { limits } from "../../limits";
import { CANDIDATE_FACTOR } from "./selection/select-batch";

export enum LabelingStrategy {
  LEAST_CONFIDENCE = "LEAST_CONFIDENCE",
  MARGIN = "MARGIN",
  ENTROPY = "ENTROPY",
  RANDOM = "RANDOM",
}
registerEnumType(LabelingStrategy, {
  name: "LabelingStrategy",
  description:
    "How pool items are ranked: LEAST_CONFIDENCE 1 − max p, MARGIN 1 − (p₁ − p₂), ENTROPY the entropy over log(classes), RANDOM a seeded draw",
});

export enum LabelingDiversity {
  NONE = "NONE",
  KCENTER = "KCENTER",
  CLUSTER = "CLUSTER",
}
registerEnumType(LabelingDiversity, {
  name: "LabelingDiversity",
  description:
    `NONE: the top-ranked items; KCENTER: greedy k-center over the ${CANDIDATE_FACTOR}·size top-ranked items' embeddings, ` +
    `starting from the labelled samples; CLUSTER: k-means of the ${CANDIDATE_FACTOR}·size top-ranked items into size clusters, ` +
    "the top-ranked item of each",
});

@InputType({ description: "Exactly one of the two" })
export class LabelingPoolInput {
  @Field(() => ID, { nullable: true, description: "A dataset version: its unlabeled samples" })
  datasetVersionId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      `A model version: what it served without feedback (the newest ${limits.labeling.poolItems}), of uploaded images it kept ` +
      "that a dataset takes (JPEG, PNG, WebP or GIF); predictions of dataset samples are left out (those images are in a dataset)",
  })
  predictionsOf?: string | null;
}

@InputType()
export class LabelingBatchInput {
  @Field(() => ID, {
    description: "The classifier whose probabilities rank the pool (deployed on first use)",
  })
  modelVersionId!: string;

  @Field(() => LabelingPoolInput)
  pool!: LabelingPoolInput;

  @Field(() => LabelingStrategy, { defaultValue: LabelingStrategy.ENTROPY })
  strategy!: LabelingStrategy;

  @Field(() => LabelingDiversity, { defaultValue: LabelingDiversity.NONE })
  diversity!: LabelingDiversity;

  @Field(() => Int, { description: `1 to ${limits.labeling.batchSize}, at most the pool's size` })
  size!: number;

  @Field(() => Float, {
    nullable: true,
    defaultValue: 0,
    description: "0 to 1: ⌈randomShare · size⌉ items drawn uniformly from the pool, marked `random`",
  })
  randomShare?: number | null;

  @Field(() => Int, { nullable: true, description: "Same seed and pool, same batch; drawn when left out" })
  seed?: number | null;

  @Field(() => ID, {
    nullable: true,
    description:
      "For a predictionsOf pool: the dataset whose newest version receives the labelled images (default: the dataset the model version was trained on)",
  })
  targetDatasetId?: string | null;
}

@InputType()
export class LabelInput {
  @Field(() => ID, { description: "A LabelingItem's id (a UUID)" })
  itemId!: string;

  @Field(() => String, {
    description:
      `1 to ${limits.nameLength} characters: one of the model's labels or a class of the dataset's newest version. ` +
      "A class the model does not have joins the dataset, and its feedback says only that the prediction was wrong",
  })
  label!: string;
}

@ObjectType({ description: "One pool item of a labelling batch" })
export class LabelingItem {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: "0, 1, … in the order the selection picked" })
  position!: number;

  @Field(() => Float, {
    description: "The strategy's uncertainty, 0 (sure) to 1; the normalised entropy for RANDOM",
  })
  uncertainty!: number;

  @Field(() => Boolean, { description: "Drawn uniformly for the randomShare, not picked by the strategy" })
  random!: boolean;

  @Field(() => String, { nullable: true, description: "The label submitted for it" })
  label!: string | null;

  batchId!: string;
  sampleId!: string | null;
  predictionId!: string | null;
}

@ObjectType({ description: "Pool items chosen for labelling by uncertainty and diversity; its owner's only" })
export class LabelingBatch {
  @Field(() => ID)
  id!: string;

  @Field(() => LabelingStrategy)
  strategy!: LabelingStrategy;

  @Field(() => LabelingDiversity)
  diversity!: LabelingDiversity;

  @Field(() => Int)
  size!: number;

  @Field(() => Float)
  randomShare!: number;

  @Field(() => Int)
  seed!: number;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  submittedAt!: Date | null;

  ownerId!: string;
  modelVersionId!: string;
  /** The pool version, or for a predictionsOf pool the target dataset's version the labels are added to. */
  datasetVersionId!: string | null;
  predictionsOfId!: string | null;
  resultVersionId!: string | null;
}

export const LabelingBatchConnection = connectionOf(() => LabelingBatch, "LabelingBatch");
export type LabelingBatchConnection = Connection<LabelingBatch>;
