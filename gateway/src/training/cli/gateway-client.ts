import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

/** One GraphQL error as the gateway reports it: `extensions.code` and a message for the user. */
export interface GatewayError {
  code: string;
  message: string;
}

/** The gateway answered with errors, or could not be reached (code NETWORK_ERROR). */
export class GatewayRequestError extends Error {
  constructor(readonly errors: GatewayError[]) {
    super(errors.map((error) => `${error.code}: ${error.message}`).join("\n"));
  }
}

export interface SubscriptionHandlers<T> {
  next(data: T): void;
  error(error: GatewayRequestError): void;
  /** The server ended the stream. */
  complete(): void;
}

/** The gateway's GraphQL API over HTTP (queries, mutations) and graphql-ws (subscriptions). */
export class GatewayClient {
  readonly #endpoint: string;
  #sockets: Client | null = null;

  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {
    this.#endpoint = `${url}/graphql`;
  }

  async request<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.#endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${this.token}` },
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      throw unreachable(this.url, error);
    }
    const text = await response.text();
    let body: { data?: T | null; errors?: unknown[] };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      const excerpt = text.slice(0, 200).replace(/\s+/g, " ");
      throw new GatewayRequestError([
        {
          code: `HTTP_${response.status}`,
          message: `expected a GraphQL answer from ${this.#endpoint}, got: ${excerpt}`,
        },
      ]);
    }
    if (body.errors?.length) throw new GatewayRequestError(body.errors.map(toGatewayError));
    if (!body.data)
      throw new GatewayRequestError([{ code: `HTTP_${response.status}`, message: "no data in the answer" }]);
    return body.data;
  }

  /**
   * Subscribes over one shared WebSocket, which reconnects (and subscribes again) when the
   * connection drops. Returns a function that ends the subscription.
   */
  subscribe<T>(
    query: string,
    variables: Record<string, unknown>,
    handlers: SubscriptionHandlers<T>,
  ): () => void {
    this.#sockets ??= createClient({
      url: `${this.url.replace(/^http/, "ws")}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${this.token}` },
    });
    return this.#sockets.subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          if (result.errors?.length)
            handlers.error(new GatewayRequestError(result.errors.map(toGatewayError)));
          else if (result.data) handlers.next(result.data);
        },
        error: (error) => handlers.error(subscriptionError(this.url, error)),
        complete: () => handlers.complete(),
      },
    );
  }

  async close(): Promise<void> {
    await this.#sockets?.dispose();
    this.#sockets = null;
  }
}

function toGatewayError(error: unknown): GatewayError {
  const { message, extensions } = error as { message?: unknown; extensions?: { code?: unknown } };
  return {
    code: typeof extensions?.code === "string" ? extensions.code : "UNKNOWN",
    message: typeof message === "string" ? message : JSON.stringify(error),
  };
}

function unreachable(url: string, error: unknown): GatewayRequestError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const why = cause?.code ?? cause?.message ?? (error as Error).message;
  return new GatewayRequestError([
    {
      code: "NETWORK_ERROR",
      message: `cannot reach the gateway at ${url} (${why}); is it running? (--url, TESSERA_URL)`,
    },
  ]);
}

/** graphql-ws reports GraphQL errors as an array, a closed socket as a close event, else an Error. */
function subscriptionError(url: string, error: unknown): GatewayRequestError {
  if (Array.isArray(error)) return new GatewayRequestError(error.map(toGatewayError));
  const closed = error as { code?: unknown; reason?: unknown };
  if (typeof closed.code === "number") {
    const reason = typeof closed.reason === "string" && closed.reason ? `: ${closed.reason}` : "";
    return new GatewayRequestError([
      {
        code: "NETWORK_ERROR",
        message: `the subscription's connection to ${url} closed (${closed.code}${reason})`,
      },
    ]);
  }
  return unreachable(url, error);
}
