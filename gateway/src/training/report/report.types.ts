import { Field, Float, ObjectType, registerEnumType } from "type-graphql";
import { Sample } from "../../datasets/datasets.types";

/** The values are the splits' names in stored evaluations (EvaluatedSplit). */
export enum EvaluationSplit {
  VALIDATION = "validation",
  TEST = "test",
}

registerEnumType(EvaluationSplit, {
  name: "EvaluationSplit",
  description: "A split the final evaluation of a training job ran on",
});

@ObjectType({ description: "The monitored metric (options.monitor) of the best trial, at its best epoch" })
export class FinalMetric {
  @Field(() => String, { description: "val_loss, val_accuracy, loss or accuracy" })
  name!: string;

  @Field(() => Float)
  value!: number;
}

@ObjectType({ description: "One evaluated sample of a confusion-matrix cell" })
export class MisclassifiedSample {
  @Field(() => Sample, { description: "As the job's dataset version holds it" })
  sample!: Sample;

  @Field(() => String, { description: "The true label" })
  actual!: string;

  @Field(() => String, { description: "The label the trained model gave it" })
  predicted!: string;

  @Field(() => Float, { description: "The trained model's probability of the predicted label" })
  confidence!: number;

  @Field(() => EvaluationSplit, { description: "The split it was evaluated on" })
  split!: EvaluationSplit;
}

@ObjectType({
  description:
    "The training report: one self-contained HTML page (inline SVG charts, images as data: URIs, no external assets), its JSON twin and the charts as PNGs. Links are signed and short-lived.",
})
export class TrainingReport {
  @Field(() => String)
  htmlUrl!: string;

  @Field(() => String, { description: "The same data as the HTML page, as JSON" })
  jsonUrl!: string;

  @Field(() => [String], {
    description:
      "One PNG per chart (twice its size in the HTML page), in this order, the file name saying which: loss, accuracy, trials, confusion-matrix (validation), confusion-matrix-test (when the job had a test split), per-class, reliability, misclassified, lineage",
  })
  pngUrls!: string[];

  @Field(() => Date, {
    description: "When it was rendered: it shows the job, its lineage and its samples as they were then",
  })
  generatedAt!: Date;
}
