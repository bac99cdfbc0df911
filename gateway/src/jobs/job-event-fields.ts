import { Field, ID, Int, ObjectType } from "type-graphql";

/** Fields every event of a job's log has; not a GraphQL type itself (no query returns it). */
@ObjectType()
export abstract class JobEventFields {
  @Field(() => ID)
  jobId!: string;

  @Field(() => Int, {
    description:
      "Position in the job's log; the current state a late subscriber gets first carries the last one",
  })
  seq!: number;

  @Field(() => Date)
  at!: Date;
}
