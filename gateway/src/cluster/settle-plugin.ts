import type { ApolloServerPlugin } from "@apollo/server";
import type { ClusterBus } from "./cluster-bus";

/**
 * A mutation answers only once the other replicas have applied what it changed (its cluster
 * messages are acknowledged): a client that goes on to another replica finds the change there. A
 * no-op when nothing was published; queries never wait.
 */
export function settleClusterPlugin(bus: ClusterBus): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation }) {
          if (operation?.operation === "mutation") await bus.settled();
        },
      };
    },
  };
}
