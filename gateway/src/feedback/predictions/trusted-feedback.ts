import { Prisma } from "../../generated/prisma/client";

/**
 * Feedback that may steer a model: recorded by who may change it (its owner, or an admin).
 * Anyone may classify a public model and correct what it told them; fitting those corrections
 * would let any caller bend what every other caller is served, so the adjustment fit (and
 * retraining's corrections) read only these. Others' feedback stays, for the log and its counts.
 */
export function trustedFeedbackWhere(modelOwnerId: string): Prisma.FeedbackWhereInput {
  return { createdBy: { OR: [{ id: modelOwnerId }, { role: "ADMIN" }] } };
}

/**
 * trustedFeedbackWhere for raw SQL over "Feedback" aliased `f`; `owner` is the column that holds
 * the model owner's id (Prisma.sql`m."ownerId"`).
 */
export function trustedFeedbackCondition(owner: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`EXISTS (
    SELECT 1 FROM "User" author
    WHERE author.id = f."createdById" AND (author.id = ${owner} OR author.role = 'ADMIN'))`;
}
