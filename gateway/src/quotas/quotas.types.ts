import { Field, Float, ID, InputType, Int, ObjectType } from "type-graphql";

@ObjectType({
  description:
    "Bytes of the distinct blobs the user's datasets, models, scenes and reconstructions reference",
})
export class StoredBytesUsage {
  @Field(() => Float)
  used!: number;

  @Field(() => Float, { nullable: true, description: "Null: unlimited" })
  limit!: number | null;
}

@ObjectType({
  description: "Jobs the user started that are queued or running (a job's child jobs not counted)",
})
export class ConcurrentJobsUsage {
  @Field(() => Int)
  used!: number;

  @Field(() => Int, { nullable: true, description: "Null: unlimited" })
  limit!: number | null;
}

@ObjectType({
  description:
    "Expensive operations (uploads, training starts, tier jobs) in the sliding one-minute window, shared by every replica",
})
export class ExpensiveRequestsUsage {
  @Field(() => Int, { description: "Slots of the window in use; one frees up every 60 / limit seconds" })
  used!: number;

  @Field(() => Int, { nullable: true, description: "Null: unlimited" })
  limitPerMinute!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "Seconds until one more is admitted; null when one is now",
  })
  retryAfterSeconds!: number | null;

  @Field(() => Date, {
    nullable: true,
    description: "When every slot is free again; null when none is in use",
  })
  freesAt!: Date | null;
}

@ObjectType({ description: "What a user uses of each per-user limit, and the limit that applies" })
export class UserUsage {
  @Field(() => Boolean, { description: "Admins are exempt from every limit (their limits read null)" })
  exempt!: boolean;

  @Field(() => StoredBytesUsage)
  storedBytes!: StoredBytesUsage;

  @Field(() => ConcurrentJobsUsage)
  concurrentJobs!: ConcurrentJobsUsage;

  @Field(() => ExpensiveRequestsUsage)
  expensiveRequests!: ExpensiveRequestsUsage;
}

@ObjectType({
  description:
    "An admin's limits for one user: null → the gateway default (TESSERA_QUOTA_*), 0 → unlimited for this user",
})
export class UserQuota {
  @Field(() => ID)
  userId!: string;

  @Field(() => Float, { nullable: true })
  maxStoredBytes!: number | null;

  @Field(() => Int, { nullable: true })
  maxConcurrentJobs!: number | null;

  @Field(() => Int, { nullable: true })
  maxExpensiveRequestsPerMinute!: number | null;

  @Field(() => Date, { nullable: true, description: "Null when every value is the default" })
  updatedAt!: Date | null;
}

@InputType({
  description:
    "Replaces all three values: left out or null → the default; 0 → unlimited; bytes up to 2^53 − 1, jobs and per-minute up to 10000",
})
export class UserQuotaInput {
  @Field(() => Float, { nullable: true })
  maxStoredBytes?: number | null;

  @Field(() => Int, { nullable: true })
  maxConcurrentJobs?: number | null;

  @Field(() => Int, { nullable: true })
  maxExpensiveRequestsPerMinute?: number | null;
}
