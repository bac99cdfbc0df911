import { GraphQLError, Kind, type ASTNode, type GraphQLSchema, type ValidationContext } from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";
import { getComplexity, simpleEstimator } from "graphql-query-complexity";
import { ErrorCode } from "../errors";

/** Refuses documents nested deeper than `maxDepth` selections (fragments followed). */
export function depthLimit(maxDepth: number) {
  return (context: ValidationContext) => {
    const fragments = new Map(
      context
        .getDocument()
        .definitions.flatMap((d) =>
          d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
        ),
    );
    const depthOf = (node: ASTNode, depth: number, seen: Set<string>): number => {
      if (depth > maxDepth) return depth;
      if (node.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(node.name.value);
        if (!fragment || seen.has(node.name.value)) return depth;
        return depthOf(fragment, depth, new Set(seen).add(node.name.value));
      }
      const selections = "selectionSet" in node ? (node.selectionSet?.selections ?? []) : [];
      const next = node.kind === Kind.FIELD ? depth + 1 : depth;
      return Math.max(next, ...selections.map((s) => depthOf(s, next, seen)));
    };
    for (const definition of context.getDocument().definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      const depth = depthOf(definition, 0, new Set());
      if (depth > maxDepth) {
        context.reportError(
          // Counting stops one level past the limit, so the true depth is not known here.
          new GraphQLError(`Query is nested more than ${maxDepth} levels deep; the limit is ${maxDepth}`, {
            nodes: [definition],
            extensions: { code: ErrorCode.BAD_USER_INPUT },
          }),
        );
      }
    }
    return {};
  };
}

/**
 * Estimates the cost of an operation before it runs: each field costs 1, multiplied by the page
 * size (`first`) of lists below it, so a deep walk over large pages is refused up front.
 */
export function complexityLimit(schema: GraphQLSchema, maxComplexity: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          let complexity: number;
          try {
            complexity = getComplexity({
              schema,
              query: document,
              operationName: request.operationName,
              variables: request.variables,
              estimators: [
                ({ args, childComplexity }) => {
                  const first =
                    typeof args.first === "number" ? args.first : typeof args.k === "number" ? args.k : null;
                  return first === null ? undefined : 1 + childComplexity * Math.max(first, 1);
                },
                simpleEstimator({ defaultComplexity: 1 }),
              ],
            });
          } catch {
            // Variables that do not fit their types (an unknown enum value, say) cannot be costed;
            // execution refuses them next with BAD_USER_INPUT and the exact reason.
            return;
          }
          if (complexity > maxComplexity) {
            throw new GraphQLError(
              `Query cost ${complexity} exceeds the limit of ${maxComplexity}; ask for fewer items`,
              {
                extensions: { code: ErrorCode.BAD_USER_INPUT },
              },
            );
          }
        },
      };
    },
  };
}
