import { randomBytes } from "node:crypto";
import { loadConfig } from "../../gateway/src/config";
import { createLogger } from "../../gateway/src/logger";
import { startGateway } from "../../gateway/src/server";
import { UNLIMITED_RATES } from "../../gateway/test/support/gateway";
import { deferCleanup } from "../lib/cleanup";
import { startBenchDatabase } from "../registry/gateway-under-test";

export type UploadFile = readonly [filename: string, content: Buffer];

export interface GatewayClient {
  url: string;
  /** A GraphQL request (multipart when `files` maps variable paths to [filename, bytes]); throws on errors. */
  graphql<T>(
    query: string,
    variables: Record<string, unknown>,
    files?: Record<string, UploadFile>,
  ): Promise<T>;
  stop(): Promise<void>;
}

/**
 * The real gateway in this process, on an embedded database (or BENCH_DATABASE_URL's server), serving
 * through the tier at `tierPort`.
 */
export async function startGatewayWithTier(dataDir: string, tierPort: number): Promise<GatewayClient> {
  const adminToken = `tsr_bench_${randomBytes(16).toString("hex")}`;
  const env = {
    TESSERA_DATA_DIR: dataDir,
    HOST: "127.0.0.1",
    PORT: "0",
    INFERENCE_URL: `127.0.0.1:${tierPort}`,
    TESSERA_ADMIN_TOKEN: adminToken,
    ...UNLIMITED_RATES,
    LOG_LEVEL: process.env.LOG_LEVEL,
  };
  const config = loadConfig(env);
  const logger = createLogger({ level: config.logLevel });
  const database = await startBenchDatabase(config, logger);
  const gateway = await startGateway(loadConfig({ ...env, DATABASE_URL: database.url }), logger).catch(
    async (error: unknown) => {
      await database.close();
      throw error;
    },
  );
  const stop = deferCleanup(async () => {
    try {
      await gateway.stop();
    } finally {
      await database.close();
    }
  });
  const endpoint = `${gateway.url}/graphql`;
  return {
    url: gateway.url,
    stop,
    async graphql<T>(
      query: string,
      variables: Record<string, unknown>,
      files: Record<string, UploadFile> = {},
    ) {
      const headers: Record<string, string> = { authorization: `Bearer ${adminToken}` };
      let body: string | FormData;
      if (Object.keys(files).length === 0) {
        headers["content-type"] = "application/json";
        body = JSON.stringify({ query, variables });
      } else {
        // graphql-multipart-request-spec: operations, then a map from part names to variable paths.
        headers["apollo-require-preflight"] = "true";
        const form = new FormData();
        form.append("operations", JSON.stringify({ query, variables }));
        const paths = Object.keys(files);
        form.append("map", JSON.stringify(Object.fromEntries(paths.map((p, i) => [i, [`variables.${p}`]]))));
        paths.forEach((p, i) => {
          const [filename, content] = files[p]!;
          form.append(String(i), new Blob([content]), filename);
        });
        body = form;
      }
      const response = await fetch(endpoint, { method: "POST", headers, body });
      const answer = (await response.json()) as { data?: T; errors?: unknown[] };
      if (answer.errors) throw new Error(`GraphQL errors: ${JSON.stringify(answer.errors)}`);
      return answer.data!;
    },
  };
}
