import { Field, Float, ID, ObjectType, registerEnumType } from "type-graphql";
import { GraphQLJSON } from "graphql-scalars";
import { ModelVersion } from "../../models/models.types";
import { qualityFindingKinds, severities } from "./quality-input";

export const QualityFindingKind = Object.fromEntries(qualityFindingKinds.map((kind) => [kind, kind])) as {
  [K in (typeof qualityFindingKinds)[number]]: K;
};
registerEnumType(QualityFindingKind, {
  name: "QualityFindingKind",
  description:
    "What a quality check found. Judged relative to the dataset: LOW_RESOLUTION only against a chosen base model's input, " +
    "UNDER_EXPOSED / OVER_EXPOSED / BLURRY against the image's own class, NEAR_DUPLICATES by perceptual hash confirmed by " +
    "embeddings (thresholds: gateway/src/datasets/quality/quality-thresholds.ts)",
});

export const Severity = Object.fromEntries(severities.map((severity) => [severity, severity])) as {
  [K in (typeof severities)[number]]: K;
};
registerEnumType(Severity, {
  name: "Severity",
  description: "ERROR blocks good training; INFO is worth a look",
});

@ObjectType({ description: "Who set a quality finding aside for a dataset version, when and why" })
export class QualityDismissal {
  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => Date)
  dismissedAt!: Date;

  /** Resolved to `dismissedBy` (a User) by the resolver. */
  dismissedById!: string;
}

@ObjectType({ description: "One problem of a dataset version, the samples it touches and what to do" })
export class QualityFinding {
  @Field(() => QualityFindingKind)
  kind!: keyof typeof QualityFindingKind;

  @Field(() => Severity)
  severity!: keyof typeof Severity;

  @Field(() => [ID], { description: "Affected samples; empty for UNREADABLE_FILES (see details.files)" })
  sampleIds!: string[];

  @Field(() => String)
  recommendation!: string;

  @Field(() => String, {
    description: "Why it fired: what was measured, what it was compared with and the thresholds, in words",
  })
  explanation!: string;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description: "Measurements behind the finding (groups, scores, thresholds) and affectedFraction",
  })
  details!: unknown;

  @Field(() => Boolean, { description: "Set aside by the dataset's owner: listed, but deducts nothing" })
  dismissed!: boolean;

  @Field(() => QualityDismissal, { nullable: true })
  dismissal!: QualityDismissal | null;
}

@ObjectType({ description: "What one finding took off the quality score" })
export class QualityDeduction {
  @Field(() => QualityFindingKind)
  kind!: keyof typeof QualityFindingKind;

  @Field(() => Float)
  points!: number;

  @Field(() => String, {
    description: "The arithmetic in words: severity weight and the share of the dataset touched",
  })
  reason!: string;
}

@ObjectType({ description: "How fit a dataset version is for training, with what to fix" })
export class QualityReport {
  @Field(() => Float, {
    description:
      "0 to 100: 100 − Σ deductions.points, where a finding that is not dismissed deducts " +
      "weight(severity: ERROR 20, WARNING 8, INFO 2) × (0.5 + 0.5 × min(1, affectedFraction / 0.25))",
  })
  score!: number;

  @Field(() => [QualityDeduction], {
    description: "One per finding that is not dismissed, in the order of findings",
  })
  deductions!: QualityDeduction[];

  @Field(() => [QualityFinding], {
    description: "Most severe first; dismissed ones included (dismissed: true)",
  })
  findings!: QualityFinding[];

  @Field(() => Date, { description: "When the analysis without a base model was computed and stored" })
  computedAt!: Date;

  @Field(() => Boolean, {
    description: "Whether embeddings fed the label check and confirmed near-duplicates",
  })
  usedEmbeddings!: boolean;

  @Field(() => String, { nullable: true, description: "Key of the embedding space used, e.g. FEATURE/256" })
  embeddingSpace!: string | null;

  @Field(() => ModelVersion, {
    nullable: true,
    description: "The base model whose input sizes were judged against; null: sizes were not judged",
  })
  baseModelVersion!: ModelVersion | null;

  @Field(() => [String], {
    description:
      "What the report did not judge or judged specially, and why (sizes, embeddings, small images)",
  })
  notes!: string[];
}
