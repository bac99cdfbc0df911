import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { OperationTypeNode } from "graphql";
import { Observable, type Subscriber } from "rxjs";

export type Answer = (variables: Record<string, unknown>) => ApolloLink.Result;

export interface FakeTrainingServer {
  client: ApolloClient;
  calls: Array<{ operationName: string; variables: Record<string, unknown> }>;
  /** Subscriptions the page holds open now, newest last. */
  subscriptions: Array<Subscriber<ApolloLink.Result>>;
  /** Sends an event to every open subscription. */
  push(data: Record<string, unknown>): void;
  /** Drops every open subscription with a network error, as a lost socket does to a link that gives up. */
  dropAll(): void;
}

/**
 * Queries and mutations answered from a table by operation name (on a later tick, as a network
 * would); subscriptions stay open for the test to push events into.
 */
export function fakeTrainingServer(answers: Record<string, Answer>): FakeTrainingServer {
  const calls: FakeTrainingServer["calls"] = [];
  const subscriptions: FakeTrainingServer["subscriptions"] = [];
  const link = new ApolloLink(
    (operation) =>
      new Observable<ApolloLink.Result>((observer) => {
        calls.push({ operationName: operation.operationName ?? "", variables: operation.variables });
        if (operation.operationType === OperationTypeNode.SUBSCRIPTION) {
          subscriptions.push(observer);
          return () => {
            const at = subscriptions.indexOf(observer);
            if (at >= 0) subscriptions.splice(at, 1);
          };
        }
        const answer = answers[operation.operationName ?? ""];
        if (!answer) {
          observer.error(new Error(`the test has no answer for ${operation.operationName}`));
          return;
        }
        const timer = setTimeout(() => {
          observer.next(answer(operation.variables));
          observer.complete();
        }, 0);
        return () => clearTimeout(timer);
      }),
  );
  return {
    client: new ApolloClient({ link, cache: new InMemoryCache() }),
    calls,
    subscriptions,
    push(data) {
      for (const subscriber of [...subscriptions]) subscriber.next({ data });
    },
    dropAll() {
      for (const subscriber of [...subscriptions]) subscriber.error(new TypeError("Failed to fetch"));
    },
  };
}
