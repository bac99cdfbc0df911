import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { OperationTypeNode } from "graphql";
import { Observable, type Subscriber } from "rxjs";

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
  return {
    client: new ApolloClient({ link: answeringLink(answers, calls), cache: new InMemoryCache() }),
    calls,
  };
}

/**
 * The link behind a fake server: records each operation in `calls` and answers it from the table;
 * `subscribe`, where given, takes subscriptions instead and returns what closes one.
 */
export function answeringLink(
  answers: Record<string, Answer>,
  calls: FakeGraphQLServer["calls"],
  subscribe?: (observer: Subscriber<ApolloLink.Result>) => () => void,
): ApolloLink {
  return new ApolloLink(
    (operation) =>
      new Observable<ApolloLink.Result>((observer) => {
        calls.push({ operationName: operation.operationName ?? "", variables: operation.variables });
        if (subscribe && operation.operationType === OperationTypeNode.SUBSCRIPTION)
          return subscribe(observer);
        const answer = answers[operation.operationName ?? ""];
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
}
