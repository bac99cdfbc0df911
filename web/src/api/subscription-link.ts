import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { createClient, type Client } from "graphql-ws";
import { reconnectDelayMs } from "./reconnect-backoff";

const PING_EVERY_MS = 10_000;
const PONG_WITHIN_MS = 5_000;

export interface SubscriptionLink {
  link: GraphQLWsLink;
  client: Client;
}

/**
 * graphql-ws over the gateway's `/graphql` WebSocket. Browsers cannot set headers on a WebSocket,
 * so the token travels in `connection_init`. A dropped socket is retried forever with backoff, and
 * graphql-ws subscribes the active subscriptions again once it is back; a socket that stops
 * answering pings is closed so that retry starts.
 */
export function createSubscriptionLink(url: string, getToken: () => string | null): SubscriptionLink {
  let socket: WebSocket | null = null;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  const client = createClient({
    url,
    lazy: true,
    connectionParams: () => {
      const token = getToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, reconnectDelayMs(retries))),
    keepAlive: PING_EVERY_MS,
    on: {
      connected: (connected) => (socket = connected as WebSocket),
      closed: () => {
        socket = null;
        clearTimeout(pongTimer);
      },
      ping: (received) => {
        if (received) return;
        pongTimer = setTimeout(() => {
          if (socket?.readyState === WebSocket.OPEN) socket.close(4408, "No pong from the gateway");
        }, PONG_WITHIN_MS);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
    },
  });
  return { link: new GraphQLWsLink(client), client };
}

/** `ws://host/graphql` (or wss) for the page's own origin. */
export function webSocketUrl(path: string, location: Pick<Location, "protocol" | "host">): string {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}${path}`;
}
