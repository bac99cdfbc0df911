import {
  getOperationAST,
  type DocumentNode,
  type GraphQLField,
  type GraphQLSchema,
  type OperationTypeNode,
  type ValidationRule,
} from "graphql";
import type { GraphQLLimits } from "../config";
import { badInput, rateLimited, type AppError } from "../errors";
import { costOf, type RateLimitClass } from "./field-costs";
import { depthLimit, rootFields } from "./limits";
import { OperationCosts } from "./operation-costs";
import type { RateLimiter } from "./rate-limits";
import type { Viewer } from "../users/access";
import type { ExpensiveWork } from "../quotas/quotas.service";
import { nulByteErrors } from "./string-inputs";

export interface GuardedOperation {
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  /** Whom rate limits charge (see rateLimitKey in rate-limits.ts). */
  rateLimitKey: string;
  /** The signed-in user, whose quotas (quotas/) an expensive operation spends; null when anonymous. */
  viewer?: Viewer | null;
}

/** The per-user limits kept in the database (quotas/quotas.service.ts). */
export interface OperationQuotas {
  admitOperation(viewer: Viewer, work: ExpensiveWork): Promise<AppError | null>;
}

type RootField = GraphQLField<unknown, unknown>;

const rateLimitedWork: Record<RateLimitClass, string> = {
  inference: "inference calls",
  uploads: "uploads",
  trainingStarts: "training starts",
};

/**
 * The one set of checks every GraphQL operation passes before anything of it runs, whichever
 * transport brought it (Apollo over HTTP, graphql-ws over WebSocket): `validationRules` join
 * graphql-js's specified rules on the document; `check` then caps the root fields and the cost,
 * refuses text the database cannot store, and limits the rate of expensive work, for the
 * operation chosen.
 */
export class OperationGuard {
  readonly validationRules: ValidationRule[];
  private readonly costs: OperationCosts;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly limits: GraphQLLimits,
    private readonly rateLimiter: RateLimiter,
    private readonly quotas: OperationQuotas | null = null,
  ) {
    this.validationRules = [depthLimit(limits)];
    this.costs = new OperationCosts(schema, limits.maxComplexity);
  }

  /** Null when the operation may run (its rate-limit tokens are then spent), else why not. */
  async check(operation: GuardedOperation): Promise<AppError | null> {
    const definition = getOperationAST(operation.document, operation.operationName);
    const rootType = definition && this.schema.getRootType(definition.operation);
    // Execution answers an unknown operation name with its own error.
    if (!definition || !rootType) return null;
    const fieldDefinitions = rootType.getFields();
    // `__typename` and introspection fields are not among the root type's fields: they cost nothing here.
    const fields = [...rootFields(operation.document, definition).values()].flatMap((name) => {
      const field = fieldDefinitions[name];
      return field ? [field] : [];
    });
    return (
      this.capRootFields(definition.operation, fields) ??
      this.limitCost(operation) ??
      nulByteErrors(this.schema, operation)[0] ??
      // Last, so an operation refused above spends nothing.
      this.spendRateLimits(operation, fields) ??
      // After the in-process buckets: a refusal there costs no round trip to the database.
      (await this.admitQuotas(operation.viewer, fields))
    );
  }

  /** The signed-in user's shared quotas: a slot of the expensive rate per expensive root field. */
  private async admitQuotas(
    viewer: Viewer | null | undefined,
    fields: RootField[],
  ): Promise<AppError | null> {
    if (!this.quotas || !viewer) return null;
    const costs = fields.map((field) => costOf(field));
    const requests = costs.filter((cost) => cost?.expensive).length;
    if (requests === 0) return null;
    return this.quotas.admitOperation(viewer, {
      requests,
      storesBytes: costs.some((cost) => cost?.storesBytes),
    });
  }

  /**
   * A mutation's root fields run one after another, each a write or a call to the tier; in a
   * query or subscription only the tier-bound ones count, as reads are bounded by cost.
   */
  private capRootFields(kind: OperationTypeNode, fields: RootField[]): AppError | null {
    const capped = kind === "mutation" ? fields : fields.filter((field) => costOf(field)?.rateLimit);
    if (capped.length <= this.limits.maxRootFields) return null;
    const what = kind === "mutation" ? "root fields" : "tier-bound root fields";
    return badInput(
      `The ${kind} has ${capped.length} ${what} (aliases counted); the limit is ${this.limits.maxRootFields} per operation`,
    );
  }

  private limitCost(operation: GuardedOperation): AppError | null {
    const cost = this.costs.cost(operation.document, operation.operationName, operation.variables);
    if (cost === null || cost <= this.limits.maxComplexity) return null;
    return badInput(
      `Query cost ${cost} exceeds the limit of ${this.limits.maxComplexity}; ask for fewer items`,
    );
  }

  /**
   * One token per root field from the bucket its cost names (aliases counted): a tier call, an
   * upload, a training start.
   */
  private spendRateLimits(operation: GuardedOperation, fields: RootField[]): AppError | null {
    const needs: Partial<Record<RateLimitClass, number>> = {};
    for (const field of fields) {
      const bucket = costOf(field)?.rateLimit;
      if (bucket) needs[bucket] = (needs[bucket] ?? 0) + 1;
    }
    const outcome = this.rateLimiter.take(operation.rateLimitKey, needs);
    if (outcome.allowed) return null;
    const work = rateLimitedWork[outcome.bucket];
    if (outcome.retryAfterSeconds === null) {
      return badInput(
        `The operation makes ${outcome.needed} ${work}; at most ${outcome.burst} are allowed at once`,
      );
    }
    return rateLimited(
      `Too many ${work}; try again in ${outcome.retryAfterSeconds} s`,
      outcome.retryAfterSeconds,
    );
  }
}
