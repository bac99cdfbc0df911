import type { ClassType } from "type-graphql";
import type { JobEventRecord } from "./job-event-subscriber";

/** The GraphQL members of a kind's own events, and how a log record becomes one. */
export type KindEvents = Record<string, { member: ClassType; toGraphQL: (record: JobEventRecord) => object }>;
