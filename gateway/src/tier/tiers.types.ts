import { Field, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "A tier's load: its last Status report, and what this gateway sent it since" })
export class TierLoad {
  @Field(() => Int, { description: "Model requests in the tier (queued included), as its last report said" })
  inFlight!: number;

  @Field(() => Int, {
    description:
      "Of those, the ones waiting in a model's queue (for an instance, or for company to fill a batch)",
  })
  queued!: number;

  @Field(() => Int, {
    description: "Calls this gateway sent the tier after that report and still waits for",
  })
  sentSinceReport!: number;

  @Field(() => Int, {
    description: "inFlight + sentSinceReport: what this gateway compares when it routes a model call",
  })
  estimate!: number;
}

@ObjectType({ description: "A model version a tier holds, with its share of the tier's load" })
export class TierModel {
  @Field(() => String, { description: "The tier's name for it (Deployment.tierModelName)" })
  name!: string;

  @Field(() => String, { description: 'Numeric ("3"), as Deployment.tierModelVersion' })
  version!: string;

  @Field(() => String, { description: "loading, ready, failed or unloading; only ready versions answer" })
  state!: string;

  @Field(() => Int)
  inFlight!: number;

  @Field(() => Int)
  queued!: number;
}

@ObjectType({
  description:
    "An inference tier this gateway calls (INFERENCE_URL), as it last reported itself through Status (polled every second)",
})
export class Tier {
  @Field(() => String, { description: "host:port, as configured" })
  address!: string;

  @Field(() => Boolean, {
    description: "Up and ready: model calls go only to ready tiers (down ones are probed every second)",
  })
  ready!: boolean;

  @Field(() => String, {
    nullable: true,
    description: "Why the last call or probe failed; null once it answers",
  })
  lastError!: string | null;

  @Field(() => Int, {
    description:
      "Calls the tier answered for this gateway since it started (errors of the tier's own included)",
  })
  answered!: number;

  @Field(() => TierLoad)
  load!: TierLoad;

  @Field(() => [TierModel], { description: "Every model version the tier holds, in name then version order" })
  models!: TierModel[];

  @Field(() => String, {
    nullable: true,
    description: 'Where models run by default: "cpu", or "cuda"; null until the tier reports',
  })
  device!: string | null;

  @Field(() => [String], {
    description:
      "The execution providers its models may use, in order (INFERENCE_EXECUTION_PROVIDERS after the start-up check)",
  })
  executionProviders!: string[];

  @Field(() => [String], {
    description:
      "Configured providers the tier could not create at start, each with the reason (it fell back)",
  })
  providerFallbacks!: string[];

  @Field(() => String, { nullable: true, description: "The tier's software version" })
  serverVersion!: string | null;

  @Field(() => Date, { nullable: true, description: "When its last Status report arrived" })
  reportedAt!: Date | null;
}

@ObjectType({ description: "Which tiers a deployment is loaded on (DeploymentConfig.replicas)" })
export class DeploymentPlacement {
  @Field(() => Int, { nullable: true, description: "As configured; null: every tier" })
  replicas!: number | null;

  @Field(() => Int, { description: "How many tiers it is placed on now" })
  tierCount!: number;

  @Field(() => [String], {
    nullable: true,
    description: "The tiers' addresses, best-ranked first; admins only (null for others)",
  })
  tiers!: string[] | null;

  @Field(() => String, {
    nullable: true,
    description: "Said when it is on fewer or more tiers than asked, and why",
  })
  note!: string | null;
}
