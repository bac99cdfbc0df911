import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { loadConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import { startGateway, type RunningGateway } from "../../src/server";
import type { PrismaClient } from "../../src/generated/prisma/client";
import { createTestDatabase } from "./database";

const logger = createLogger({ level: "silent" });

/**
 * The whole gateway (database, migrations, a real inference tier, HTTP) on a free port, plus the
 * helpers integration tests need to talk to it the way a client does. Start one per test file:
 * startup takes seconds.
 */
export interface TestGateway {
  /** `http://127.0.0.1:<port>`; GraphQL is at `${url}/graphql`. */
  url: string;
  adminToken: string;
  dataDir: string;
  /** A client of its own on the gateway's database, for assertions (its statements are not counted). */
  prisma: PrismaClient;
  running: RunningGateway;
  /** Every SQL statement the gateway itself sent, in order; tests clear it with `length = 0`. */
  sqlStatements: string[];
  /** A JSON POST; `token` defaults to the admin's, null sends none. */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string | null,
  ): Promise<GraphQLBody<T>>;
  /** A GraphQL multipart request with the preflight header; `token` defaults to the admin's, null sends none. */
  upload<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown>,
    files: UploadFile[],
    token?: string | null,
  ): Promise<GraphQLBody<T>>;
  /** The raw HTTP answer to a multipart request, for status and header checks. */
  postMultipart(
    query: string,
    variables: Record<string, unknown>,
    files: UploadFile[],
    options?: { token?: string | null; preflight?: boolean },
  ): Promise<Response>;
  /** Creates a MEMBER and issues them an API token, both through the API; returns the token's secret. */
  createMember(handle: string): Promise<string>;
  /** sha256 names of the blob files on disk (the temp folder excluded), sorted. */
  blobFiles(): Promise<string[]>;
  blobCount(): Promise<number>;
  /** Files in the blob store's temp folder: uploads in flight or left behind. */
  tempFileCount(): Promise<number>;
  /** How many registry rows exist: what a failed request must not change. */
  rowCounts(): Promise<RowCounts>;
  stop(): Promise<void>;
}

/**
 * Environment that turns every rate limit off (0 = unlimited). The benches use it too: they fire
 * requests far faster than the per-token defaults allow, and measure the gateway, not its throttle.
 */
export const UNLIMITED_RATES = {
  TESSERA_RATE_LIMIT_INFERENCE: "0",
  TESSERA_RATE_LIMIT_UPLOADS: "0",
  TESSERA_RATE_LIMIT_TRAINING_STARTS: "0",
};

export interface TestGatewayOptions {
  /** Extra environment for loadConfig (limits such as TESSERA_MAX_UPLOAD_BYTES, HF_ENDPOINT). */
  env?: Record<string, string>;
}

export interface UploadFile {
  /** Where the file goes in `variables`, e.g. `files.0` or `archive`. */
  variable: string;
  filename: string;
  content: Buffer | Readable;
  contentType?: string;
}

export interface GraphQLErrorBody {
  message: string;
  path?: Array<string | number>;
  extensions?: { code?: string; [key: string]: unknown };
}

export interface GraphQLBody<T> {
  data?: T | null;
  errors?: GraphQLErrorBody[];
}

export interface RowCounts {
  models: number;
  versions: number;
  files: number;
  blobs: number;
  aliases: number;
}

export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(tmpdir(), "tessera-gateway-test-"));
  const adminToken = `tsr_test-admin-${randomBytes(12).toString("hex")}`;
  const sqlStatements: string[] = [];
  const config = loadConfig({
    DATABASE_URL: database.url,
    PORT: "0",
    HOST: "127.0.0.1",
    INFERENCE_PORT: "0",
    TESSERA_DATA_DIR: dataDir,
    TESSERA_ADMIN_TOKEN: adminToken,
    // Tests fire requests faster than any person; those about rate limits set their own.
    ...UNLIMITED_RATES,
    ...options.env,
  });
  let running: RunningGateway;
  try {
    running = await startGateway(config, logger, { onQuery: (sql) => sqlStatements.push(sql) });
  } catch (error) {
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const graphqlUrl = `${running.url}/graphql`;
  const blobRoot = path.join(dataDir, "blobs");

  const gql: TestGateway["gql"] = async (query, variables = {}, token = adminToken) => {
    const response = await fetch(graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json", ...authorization(token) },
      body: JSON.stringify({ query, variables }),
    });
    return parseBody(response);
  };

  const postMultipart: TestGateway["postMultipart"] = async (query, variables, files, opts = {}) => {
    const body = multipartBody(query, variables, files);
    return fetch(graphqlUrl, {
      method: "POST",
      headers: {
        "content-type": body.contentType,
        ...(opts.preflight === false ? {} : { "apollo-require-preflight": "true" }),
        ...authorization(opts.token === undefined ? adminToken : opts.token),
      },
      body: Readable.toWeb(Readable.from(body.chunks())) as ReadableStream,
      duplex: "half",
    } as RequestInit);
  };

  const blobFiles = async () => {
    const entries = await readdir(blobRoot, { recursive: true, withFileTypes: true }).catch(() => []);
    return entries
      .filter((e) => e.isFile() && path.relative(blobRoot, e.parentPath).split(path.sep)[0] !== "tmp")
      .map((e) => e.name)
      .sort();
  };

  return {
    url: running.url,
    adminToken,
    dataDir,
    prisma: database.prisma,
    running,
    sqlStatements,
    gql,
    postMultipart,
    upload: async (query, variables, files, token = adminToken) =>
      parseBody(await postMultipart(query, variables, files, { token })),
    async createMember(handle) {
      const created = await gql<{ createUser: { id: string } }>(
        "mutation ($handle: String!) { createUser(input: { handle: $handle }) { id } }",
        { handle },
      );
      const userId = created.data?.createUser.id;
      if (!userId) throw new Error(`could not create member ${handle}: ${JSON.stringify(created.errors)}`);
      const issued = await gql<{ createApiToken: { secret: string } }>(
        'mutation ($userId: ID!) { createApiToken(name: "test", userId: $userId) { secret } }',
        { userId },
      );
      const secret = issued.data?.createApiToken.secret;
      if (!secret) throw new Error(`could not issue a token to ${handle}: ${JSON.stringify(issued.errors)}`);
      return secret;
    },
    blobFiles,
    blobCount: async () => (await blobFiles()).length,
    tempFileCount: async () => (await readdir(path.join(blobRoot, "tmp")).catch(() => [])).length,
    async rowCounts() {
      const [models, versions, files, blobs, aliases] = await Promise.all([
        database.prisma.model.count(),
        database.prisma.modelVersion.count(),
        database.prisma.modelFile.count(),
        database.prisma.blob.count(),
        database.prisma.modelAlias.count(),
      ]);
      return { models, versions, files, blobs, aliases };
    },
    async stop() {
      try {
        await running.stop();
        await database.close();
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}

function authorization(token: string | null | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

async function parseBody<T>(response: Response): Promise<GraphQLBody<T>> {
  const text = await response.text();
  try {
    return JSON.parse(text) as GraphQLBody<T>;
  } catch {
    throw new Error(`expected a JSON answer, got HTTP ${response.status}: ${text.slice(0, 500)}`);
  }
}

/**
 * A GraphQL multipart request body (github.com/jaydenseric/graphql-multipart-request-spec):
 * `operations` with nulls where files go, `map` from part names to those places, then the files,
 * streamed in order.
 */
export function multipartBody(
  query: string,
  variables: Record<string, unknown>,
  files: UploadFile[],
): { contentType: string; chunks: () => AsyncGenerator<Buffer> } {
  const boundary = `----tessera-test-${randomBytes(8).toString("hex")}`;
  const operations = { query, variables: structuredClone(variables) };
  const map: Record<string, string[]> = {};
  files.forEach((file, index) => {
    setPath(operations.variables, file.variable.split("."), null);
    map[String(index)] = [`variables.${file.variable}`];
  });
  const field = (name: string, value: string) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  async function* chunks(): AsyncGenerator<Buffer> {
    yield field("operations", JSON.stringify(operations));
    yield field("map", JSON.stringify(map));
    for (const [index, file] of files.entries()) {
      yield Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${index}"; filename="${file.filename}"\r\n` +
          `Content-Type: ${file.contentType ?? "application/octet-stream"}\r\n\r\n`,
      );
      if (Buffer.isBuffer(file.content)) yield file.content;
      else for await (const chunk of file.content) yield Buffer.from(chunk as Buffer);
      yield Buffer.from("\r\n");
    }
    yield Buffer.from(`--${boundary}--\r\n`);
  }
  return { contentType: `multipart/form-data; boundary=${boundary}`, chunks };
}

function setPath(target: Record<string, unknown>, keys: string[], value: unknown): void {
  let node: Record<string, unknown> = target;
  keys.slice(0, -1).forEach((key, index) => {
    node[key] ??= /^\d+$/.test(keys[index + 1]!) ? [] : {};
    node = node[key] as Record<string, unknown>;
  });
  node[keys.at(-1)!] = value;
}
