import fs from "node:fs";
import http from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

/**
 * The client side of the bench on plain node:http: lighter than fetch, which matters when client
 * and gateway share the same two cores.
 */
export class GatewayClient {
  private readonly agent: http.Agent;
  /** Parsed once: a `new URL` per request cost the client ~4 % of the list bench's CPU. */
  private readonly server: { hostname: string; port: string };

  constructor(
    baseUrl: string,
    private readonly token: string,
    maxSockets = 16,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
    const { hostname, port } = new URL(baseUrl);
    this.server = { hostname: hostname.replace(/^\[(.*)\]$/, "$1"), port };
  }

  /** A GraphQL operation as JSON; resolves to `data`, rejects with the first error's message. */
  async graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const body = JSON.stringify({ query, variables });
    const response = await this.send(
      { method: "POST", path: "/graphql", headers: { "content-type": "application/json" } },
      body,
    );
    return dataOf<T>(response);
  }

  /**
   * A GraphQL multipart request (the graphql-multipart-request spec) with one `Upload` per file,
   * at `variables.files.<i>`. Files on disk are streamed, never read whole into memory.
   */
  async upload<T>(
    query: string,
    variables: Record<string, unknown>,
    files: ReadonlyArray<{ name: string; content: Buffer | { path: string } }>,
  ): Promise<T> {
    const boundary = `----tessera-bench-${Date.now().toString(16)}`;
    const field = (name: string, value: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const operations = { query, variables: { ...variables, files: files.map(() => null) } };
    const map = Object.fromEntries(files.map((_, index) => [String(index), [`variables.files.${index}`]]));
    const head = Buffer.from(
      field("operations", JSON.stringify(operations)) + field("map", JSON.stringify(map)),
    );
    const parts = files.map((file, index) => ({
      header: Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${index}"; filename="${file.name}"\r\n` +
          "Content-Type: application/octet-stream\r\n\r\n",
      ),
      content: file.content,
      size: Buffer.isBuffer(file.content) ? file.content.length : fs.statSync(file.content.path).size,
    }));
    const tail = Buffer.from(`--${boundary}--\r\n`);
    const length =
      head.length + tail.length + parts.reduce((sum, part) => sum + part.header.length + part.size + 2, 0);

    async function* body() {
      yield head;
      for (const part of parts) {
        yield part.header;
        if (Buffer.isBuffer(part.content)) yield part.content;
        else yield* fs.createReadStream(part.content.path, { highWaterMark: 1024 * 1024 });
        yield Buffer.from("\r\n");
      }
      yield tail;
    }
    const response = await this.send(
      {
        method: "POST",
        path: "/graphql",
        headers: {
          "content-type": `multipart/form-data; boundary=${boundary}`,
          "content-length": String(length),
          // Apollo's CSRF prevention refuses multipart requests without a preflight-forcing header.
          "apollo-require-preflight": "true",
        },
      },
      Readable.from(body()),
    );
    return dataOf<T>(response);
  }

  /** Streams a GET of `url` (absolute, e.g. a signed downloadUrl) into the file at `destination`. */
  async download(url: string, destination: string): Promise<void> {
    const response = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http.get(url, { agent: this.agent }, resolve).once("error", reject),
    );
    if (response.statusCode !== 200) {
      const text = Buffer.concat(await response.toArray()).toString("utf8");
      throw new Error(`GET ${url} answered ${response.statusCode}: ${text.slice(0, 500)}`);
    }
    await pipeline(response, fs.createWriteStream(destination, { highWaterMark: 1024 * 1024 }));
  }

  close(): void {
    this.agent.destroy();
  }

  private send(options: http.RequestOptions, body: string | Readable): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          ...options,
          ...this.server,
          agent: this.agent,
          headers: { ...options.headers, authorization: `Bearer ${this.token}` },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.once("end", () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
          );
          response.once("error", reject);
        },
      );
      request.once("error", reject);
      if (typeof body === "string") request.end(body);
      else pipeline(body, request).catch(reject);
    });
  }
}

interface HttpResponse {
  status: number;
  body: string;
}

function dataOf<T>(response: HttpResponse): T {
  let parsed: { data?: T | null; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  try {
    parsed = JSON.parse(response.body) as typeof parsed;
  } catch {
    throw new Error(`The gateway answered ${response.status} with non-JSON: ${response.body.slice(0, 500)}`);
  }
  const [error] = parsed.errors ?? [];
  if (error) throw new Error(`GraphQL error ${error.extensions?.code ?? ""}: ${error.message}`);
  if (!parsed.data) throw new Error(`The gateway answered ${response.status} without data`);
  return parsed.data;
}
