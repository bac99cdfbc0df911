import type { ApolloServerPlugin } from "@apollo/server";
import type { ClusterBus } from "./cluster-bus";

/**
 * A mutation answers only once the other replicas have applied what it changed (its own cluster
 * messages are acknowledged): a client that goes on to another replica finds the change there.
 * Other requests' messages are not waited for; a no-op when it published nothing; queries never wait.
 */
export function settleClusterPlugin(bus: ClusterBus): ApolloServerPlugin {
  return {
    async requestDidStart() {
      let settled: (() => Promise<void>) | undefined;
      return {
        async executionDidStart({ operation }) {
          // Before any await: tracking reaches the async context Apollo executes the operation in.
          if (operation?.operation === "mutation") settled = bus.trackPublishes();
        },
        async willSendResponse() {
          await settled?.();
        },
      };
    },
  };
}
