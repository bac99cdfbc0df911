import { Field, Float, ID, ObjectType, registerEnumType } from "type-graphql";
import { GraphQLJSON } from "graphql-scalars";
import { qualityFindingKinds, severities } from "./quality-input";

export const QualityFindingKind = Object.fromEntries(qualityFindingKinds.map((kind) => [kind, kind])) as {
  [K in (typeof qualityFindingKinds)[number]]: K;
};
registerEnumType(QualityFindingKind, {
  name: "QualityFindingKind",
  description: "What a quality check found (thresholds: gateway/src/datasets/quality/quality-thresholds.ts)",
});

export const Severity = Object.fromEntries(severities.map((severity) => [severity, severity])) as {
  [K in (typeof severities)[number]]: K;
};
registerEnumType(Severity, {
  name: "Severity",
  description: "ERROR blocks good training; INFO is worth a look",
});

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

  @Field(() => GraphQLJSON, {
    nullable: true,
    description: "Measurements behind the finding (groups, scores, thresholds) and affectedFraction",
  })
  details!: unknown;
}

@ObjectType({ description: "How fit a dataset version is for training, with what to fix" })
export class QualityReport {
  @Field(() => Float, {
    description:
      "0 to 100: 100 − Σ weight(severity: ERROR 20, WARNING 8, INFO 2) × (0.5 + 0.5 × min(1, affectedFraction / 0.25))",
  })
  score!: number;

  @Field(() => [QualityFinding], { description: "Most severe first" })
  findings!: QualityFinding[];

  @Field(() => Date)
  computedAt!: Date;

  @Field(() => Boolean, { description: "Whether embeddings fed the label check (SUSPECTED_LABEL_ERRORS)" })
  usedEmbeddings!: boolean;

  @Field(() => String, { nullable: true, description: "Key of the embedding space used, e.g. FEATURE/256" })
  embeddingSpace!: string | null;
}
