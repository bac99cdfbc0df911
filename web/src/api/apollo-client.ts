import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import { SetContextLink } from "@apollo/client/link/context";
import { ErrorLink } from "@apollo/client/link/error";
import { OperationTypeNode } from "graphql";
import { hasUploads } from "./multipart-form";
import { problemsOf } from "./problems";
import { createSubscriptionLink, webSocketUrl } from "./subscription-link";
import { typePolicies } from "./type-policies";
import { createUploadLink } from "./upload-link";

export const GRAPHQL_PATH = "/graphql";

export interface ApolloSessionOptions {
  getToken: () => string | null;
  /** The server refused the token (revoked or invalid): the session must end. */
  onUnauthenticated: (message: string) => void;
}

export interface ApolloSession {
  client: ApolloClient;
  dispose(): void;
}

/**
 * One client per signed-in token: a new sign-in starts from an empty cache and a new socket, so
 * nothing one person saw is shown to the next.
 */
export function createApolloSession(options: ApolloSessionOptions): ApolloSession {
  const subscriptions = createSubscriptionLink(webSocketUrl(GRAPHQL_PATH, window.location), options.getToken);
  const authLink = new SetContextLink((previous) => {
    const token = options.getToken();
    return {
      headers: {
        ...(previous.headers as Record<string, string>),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    };
  });
  const errorLink = new ErrorLink(({ error }) => {
    const refused = problemsOf(error).find((problem) => problem.code === "UNAUTHENTICATED");
    if (refused) options.onUnauthenticated(refused.message);
  });
  const transport = ApolloLink.split(
    (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
    subscriptions.link,
    ApolloLink.split(
      (operation) => hasUploads(operation.variables),
      createUploadLink({ uri: GRAPHQL_PATH }),
      new HttpLink({ uri: GRAPHQL_PATH }),
    ),
  );
  const client = new ApolloClient({
    link: ApolloLink.from([errorLink, authLink, transport]),
    cache: new InMemoryCache({ typePolicies }),
  });
  return {
    client,
    dispose() {
      client.stop();
      void subscriptions.client.dispose();
    },
  };
}
