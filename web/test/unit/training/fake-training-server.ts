import { ApolloClient, InMemoryCache, type ApolloLink } from "@apollo/client";
import type { Subscriber } from "rxjs";
import { answeringLink, type Answer } from "../fake-graphql-server";

export type { Answer };

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
  const link = answeringLink(answers, calls, (observer) => {
    subscriptions.push(observer);
    return () => {
      const at = subscriptions.indexOf(observer);
      if (at >= 0) subscriptions.splice(at, 1);
    };
  });
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
