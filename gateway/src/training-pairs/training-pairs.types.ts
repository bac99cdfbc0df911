import { Field, ID, Int, ObjectType } from "type-graphql";
import { GraphQLJSON } from "graphql-scalars";
import { connectionOf, type Connection } from "../graphql/connection";

@ObjectType({
  description:
    "A before/after image pair with the instruction that turned one into the other, collected from a product for later training",
})
export class TrainingPair {
  @Field(() => ID)
  id!: string;

  @Field(() => String, {
    description: "Groups pairs of one product session; the export puts each session in its own folder",
  })
  sessionId!: string;

  @Field(() => String)
  instruction!: string;

  @Field(() => String, { description: 'Lowercased, or "anonymous" when none was given' })
  userEmail!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description: "What the gateway measured: format, width, height and size of both images",
  })
  metadata!: unknown;

  createdById!: string | null;
}

@ObjectType({ description: "Counts over the training pairs you can see" })
export class TrainingPairStats {
  @Field(() => Int, { description: "Distinct session ids" })
  sessions!: number;

  @Field(() => Int, { description: "Two per pair: the original and the transformed image" })
  images!: number;

  @Field(() => Int)
  pairs!: number;

  @Field(() => Int, { description: "Distinct instructions, compared exactly (after trimming)" })
  uniqueInstructions!: number;

  @Field(() => Date, { nullable: true, description: "When the newest pair was stored; null when none" })
  latest!: Date | null;
}

export const TrainingPairConnection = connectionOf(() => TrainingPair, "TrainingPair");
export type TrainingPairConnection = Connection<TrainingPair>;
