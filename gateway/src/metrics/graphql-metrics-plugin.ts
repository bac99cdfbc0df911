import type { ApolloServerPlugin } from "@apollo/server";
import type { GatewayMetrics, GraphQLOutcome } from "./gateway-metrics";

/**
 * Counts every GraphQL operation over HTTP by name, type and outcome: "invalid" when it never ran
 * (it did not parse or validate, a limit refused it), "error" when it ran and answered errors,
 * else "success".
 */
export function graphqlMetricsPlugin(metrics: GatewayMetrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ operation, operationName, response, errors }) {
          const body = response.body.kind === "single" ? response.body.singleResult : null;
          const ran = operation !== undefined && body?.data !== undefined;
          const failed = (errors?.length ?? 0) > 0 || (body?.errors?.length ?? 0) > 0;
          const outcome: GraphQLOutcome = !ran ? "invalid" : failed ? "error" : "success";
          metrics.graphqlOperation(
            operationName ?? null,
            operation?.operation ?? "unknown",
            outcome,
            (performance.now() - started) / 1000,
          );
        },
      };
    },
  };
}
