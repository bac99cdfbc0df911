import {
  GraphQLError,
  Kind,
  type ASTNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from "graphql";
import { getComplexity, type ComplexityEstimator } from "graphql-query-complexity";
import type { GraphQLLimits } from "../config";
import { ErrorCode } from "../errors";
import { costOf, fieldCost } from "./field-costs";

const INTROSPECTION_ROOTS = new Set(["__schema", "__type"]);

/**
 * Refuses documents nested deeper than `maxDepth` selections (fragments followed). The
 * introspection fields are measured against their own, larger bound instead: graphql-js's
 * standard introspection query nests 15 levels (`ofType` chains), and a schema browser needs it.
 * Their fan-out (`fields` inside `fields`) is bounded by graphql-js's MaxIntrospectionDepthRule,
 * one of its specified rules.
 */
export function depthLimit(limits: Pick<GraphQLLimits, "maxDepth" | "maxIntrospectionDepth">) {
  return (context: ValidationContext) => {
    const fragments = fragmentsOf(context.getDocument());
    for (const definition of context.getDocument().definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      let introspectionDepth = 0;
      const depthOf = (node: ASTNode, depth: number, seen: Set<string>, introspection: boolean): number => {
        if (depth > (introspection ? limits.maxIntrospectionDepth : limits.maxDepth)) return depth;
        if (node.kind === Kind.FRAGMENT_SPREAD) {
          const fragment = fragments.get(node.name.value);
          if (!fragment || seen.has(node.name.value)) return depth;
          return depthOf(fragment, depth, new Set(seen).add(node.name.value), introspection);
        }
        if (node.kind === Kind.FIELD && !introspection && INTROSPECTION_ROOTS.has(node.name.value)) {
          introspectionDepth = Math.max(introspectionDepth, depthOf(node, depth, seen, true));
          return depth + 1;
        }
        const selections = "selectionSet" in node ? (node.selectionSet?.selections ?? []) : [];
        const next = node.kind === Kind.FIELD ? depth + 1 : depth;
        return Math.max(next, ...selections.map((s) => depthOf(s, next, seen, introspection)));
      };
      const depth = depthOf(definition, 0, new Set(), false);
      // Counting stops one level past a limit, so the true depth is not known here.
      if (depth > limits.maxDepth) {
        context.reportError(
          tooDeep(`Query is nested more than ${limits.maxDepth} levels deep`, limits.maxDepth, definition),
        );
      }
      if (introspectionDepth > limits.maxIntrospectionDepth) {
        const limit = limits.maxIntrospectionDepth;
        context.reportError(
          tooDeep(`Introspection is nested more than ${limit} levels deep`, limit, definition),
        );
      }
    }
    return {};
  };
}

function tooDeep(what: string, limit: number, node: ASTNode): GraphQLError {
  return new GraphQLError(`${what}; the limit is ${limit}`, {
    nodes: [node],
    extensions: { code: ErrorCode.BAD_USER_INPUT },
  });
}

/**
 * Each field costs what its `@Extensions(fieldCost.…)` says (a mutation without one counts as a
 * write, an ordinary read as 1) plus its children, multiplied by the page size (`first`, or `k` of
 * a search) of a list, so a deep walk over large pages is refused up front.
 */
const costEstimator =
  (schema: GraphQLSchema): ComplexityEstimator =>
  ({ field, type, args, childComplexity }) => {
    const own =
      costOf(field)?.complexity ?? (type === schema.getMutationType() ? fieldCost.write.complexity : 1);
    return own + childComplexity * Math.max(pageSize(args), 1);
  };

/**
 * The arguments whose values multiply a field's children's cost, in the order they are read. An
 * operation's cost depends on its variables only through these and through directives
 * (`@skip`/`@include`): operation-costs.ts relies on that to reuse a cost.
 */
export const PAGE_SIZE_ARGUMENTS = ["first", "k"] as const;

function pageSize(args: Record<string, unknown>): number {
  for (const name of PAGE_SIZE_ARGUMENTS) {
    const value = args[name];
    if (typeof value === "number") return value;
  }
  return 1;
}

/** The estimated cost of an operation, or null when its variables do not fit their types. */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): number | null {
  try {
    return getComplexity({
      schema,
      query: document,
      operationName: operationName ?? undefined,
      variables: variables ?? undefined,
      estimators: [costEstimator(schema)],
      // The library's default (10,000 nodes) throws, which the catch below would take for bad
      // variables and so let a query of many aliases run uncosted. Validation walks every node
      // of the document anyway; walking them once more to cost them is of the same order.
      maxQueryNodes: Number.POSITIVE_INFINITY,
    });
  } catch {
    // Execution refuses such variables next with BAD_USER_INPUT and the exact reason.
    return null;
  }
}

/**
 * The fields an operation runs at its root, by response key (aliases count one each, fragments
 * expanded, repeats of one key merged as execution merges them), mapped to the field's name.
 */
export function rootFields(document: DocumentNode, operation: OperationDefinitionNode): Map<string, string> {
  const fragments = fragmentsOf(document);
  const fields = new Map<string, string>();
  const collect = (selectionSet: SelectionSetNode, seen: Set<string>) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        fields.set(selection.alias?.value ?? selection.name.value, selection.name.value);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet, seen);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !seen.has(fragment.name.value)) {
          collect(fragment.selectionSet, new Set(seen).add(fragment.name.value));
        }
      }
    }
  };
  collect(operation.selectionSet, new Set());
  return fields;
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
    ),
  );
}
