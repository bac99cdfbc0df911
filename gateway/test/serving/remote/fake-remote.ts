import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the fake endpoint received for one call. */
export interface ReceivedCall {
  path: string;
  authorization: string | undefined;
  body: { model?: string; image?: string; labels?: string[]; top_k?: number };
}

export type Reply = (response: ServerResponse, call: ReceivedCall) => void;

/** Answers with a JSON body and status. */
export const json =
  (body: unknown, status = 200, headers: Record<string, string> = {}): Reply =>
  (response) => {
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end(typeof body === "string" ? body : JSON.stringify(body));
  };

/** Never answers (until the server closes): what a timeout looks like. */
export const hang: Reply = () => {};

/**
 * A reply held back until `release()`: `arrived` resolves once the call reached the endpoint, so a
 * test can act while the call is in flight without guessing how long that takes.
 */
export function held(reply: Reply): { reply: Reply; arrived: Promise<void>; release: () => void } {
  let release!: () => void;
  let arrive!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  return {
    reply: (response, call) => {
      arrive();
      void released.then(() => reply(response, call));
    },
    arrived,
    release,
  };
}

/**
 * A remote classification endpoint on loopback whose next answers the test chooses: `replies`
 * are used in order, then `fallback` for every later call. Every call is recorded.
 */
export class FakeRemote {
  readonly calls: ReceivedCall[] = [];
  private replies: Reply[] = [];
  private fallback: Reply = json({ predictions: [] });
  private readonly open = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeRemote> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeRemote(server, `http://127.0.0.1:${port}`);
    server.on("request", (request, response) => void fake.handle(request, response));
    return fake;
  }

  get host(): string {
    return new URL(this.url).host;
  }

  /** The next answers, in order; `always` answers every call after them. */
  answer(replies: Reply[], always?: Reply): void {
    this.replies = [...replies];
    if (always) this.fallback = always;
  }

  async stop(): Promise<void> {
    for (const response of this.open) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const call: ReceivedCall = {
      path: request.url ?? "",
      authorization: request.headers.authorization,
      body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}"),
    };
    this.calls.push(call);
    this.open.add(response);
    response.on("close", () => this.open.delete(response));
    (this.replies.shift() ?? this.fallback)(response, call);
  }
}
