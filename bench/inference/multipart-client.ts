import http from "node:http";
import { randomBytes } from "node:crypto";

/** One GraphQL multipart request (graphql-multipart-request-spec), its body encoded once. */
export interface RepeatedUpload {
  /** Sends the request again and checks the answer has data and no errors. */
  send(): Promise<void>;
  close(): void;
}

/**
 * The same multipart request, sent again and again over keep-alive connections. The bench's
 * client shares the gateway's process and cores: with `fetch` and a fresh `FormData` per request
 * the client's own multipart encoding and web streams cost a sixth of the process's CPU in the
 * profile, charged to the gateway. Encoding the body once leaves only what a separate client
 * process would leave here: the bytes on the loopback socket. The gateway still parses every
 * request in full.
 */
export function repeatedUpload(options: {
  url: string;
  token: string;
  query: string;
  variables: Record<string, unknown>;
  /** The variable path the file goes to (`image.upload`) and its name and bytes. */
  file: { path: string; filename: string; content: Buffer };
  /** Connections kept open: one per client in flight. */
  connections: number;
}): RepeatedUpload {
  const boundary = `----tessera-bench-${randomBytes(8).toString("hex")}`;
  const body = multipartBody(boundary, options);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const target = new URL(`${options.url}/graphql`);
  const headers = {
    authorization: `Bearer ${options.token}`,
    "apollo-require-preflight": "true",
    "content-type": `multipart/form-data; boundary=${boundary}`,
    "content-length": String(body.length),
  };
  const send = () =>
    new Promise<void>((resolve, reject) => {
      const request = http.request(target, { method: "POST", headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const answer = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
            data?: unknown;
            errors?: unknown[];
          };
          if (answer.errors || !answer.data) reject(new Error(`GraphQL errors: ${JSON.stringify(answer)}`));
          else resolve();
        });
        response.on("error", reject);
      });
      request.on("error", reject);
      request.end(body);
    });
  return { send, close: () => agent.destroy() };
}

function multipartBody(
  boundary: string,
  options: {
    query: string;
    variables: Record<string, unknown>;
    file: { path: string; filename: string; content: Buffer };
  },
): Buffer {
  const part = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const head =
    part("operations", JSON.stringify({ query: options.query, variables: options.variables })) +
    part("map", JSON.stringify({ 0: [`variables.${options.file.path}`] })) +
    `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="${options.file.filename}"\r\n` +
    "Content-Type: application/octet-stream\r\n\r\n";
  return Buffer.concat([Buffer.from(head), options.file.content, Buffer.from(`\r\n--${boundary}--\r\n`)]);
}
