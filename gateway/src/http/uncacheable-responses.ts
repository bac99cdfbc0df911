import type { ApolloServerPlugin } from "@apollo/server";

/**
 * Every GraphQL answer over HTTP says `Cache-Control: no-store`: answers depend on the signed-in
 * user, and no field gives a cache hint. Apollo's cache-control plugin wrote the same header but
 * hooked every field's resolver to collect hints (`willResolveField`), which also made Apollo wrap
 * every resolver of the schema: it is disabled, and this writes the header it always wrote.
 */
export const uncacheableResponses: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        response.http.headers.set("cache-control", "no-store");
      },
    };
  },
};
