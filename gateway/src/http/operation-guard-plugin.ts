import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";
import type { RequestContext } from "../graphql/context";
import type { OperationGuard } from "../graphql/operation-guard";

/** Runs the shared operation guard on every HTTP request once Apollo knows which operation it is. */
export function operationGuardPlugin(guard: OperationGuard): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, contextValue }) {
          const refused = await guard.check({
            document,
            operationName: request.operationName,
            variables: request.variables,
            rateLimitKey: contextValue.rateLimitKey,
            viewer: contextValue.viewer,
          });
          // Its HTTP status (and Retry-After) follow from its code in graphql-response-status.ts.
          if (refused) {
            throw new GraphQLError(refused.message, {
              originalError: refused,
              extensions: { code: refused.code },
            });
          }
        },
      };
    },
  };
}
