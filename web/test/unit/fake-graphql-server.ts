import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { Observable } from "rxjs";

export type Answer = (variables: Record<string, unknown>) => ApolloLink.Result;

export interface FakeGraphQLServer {
  client: ApolloClient;
  /** Every operation the page sent, in order, with its variables as the page built them. */
  calls: Array<{ operationName: string; variables: Record<string, unknown> }>;
}

/**
 * A client whose network is a table of answers by operation name: component tests see what the
 * page asked for (files included, before any multipart encoding) and play the server's part.
 */
export function fakeGraphQLServer(answers: Record<string, Answer>): FakeGraphQLServer {
  const calls: FakeGraphQLServer["calls"] = [];
  const link = new ApolloLink(
    (operation) =>
      new Observable<ApolloLink.Result>((observer) => {
        const answer = answers[operation.operationName ?? ""];
        calls.push({ operationName: operation.operationName ?? "", variables: operation.variables });
        if (!answer) {
          observer.error(new Error(`the test has no answer for ${operation.operationName}`));
          return;
        }
        // Answer on a later tick, as a network would, so loading states render first.
        const timer = setTimeout(() => {
          observer.next(answer(operation.variables));
          observer.complete();
        }, 0);
        return () => clearTimeout(timer);
      }),
  );
  return { client: new ApolloClient({ link, cache: new InMemoryCache() }), calls };
}
