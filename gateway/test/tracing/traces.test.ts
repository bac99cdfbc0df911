import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTierProcess, type TierProcess } from "../../../inference/test/helpers/tier-process";
import { buildColourClassifier, DEPLOY, solidPng, UNIT_PREPROCESSING } from "../inference/inference-api";
import { namedFiles, UPLOAD_MODEL } from "../registry/operations";
import { multipartBody, type UploadFile } from "../support/gateway";
import { spawnGateway, type GatewayProcess } from "../support/gateway-process";

const TOKEN = "tracing-test-admin-token-0123456789abcdef";
const CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN = "00f067aa0ba902b7";

interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  links: Array<{ traceId: string; spanId: string }>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: OtlpValue[] };
}
type OtlpAttributes = Array<{ key: string; value: OtlpValue }>;

/** An OTLP/HTTP receiver as a collector runs one: POST /v1/traces, the JSON encoding parsed. */
class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  requests = 0;
  private readonly server: Server;

  constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        this.requests += 1;
        if (request.method !== "POST" || request.url !== "/v1/traces") {
          response.writeHead(404).end();
          return;
        }
        expect(request.headers["content-type"]).toBe("application/json");
        this.take(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        response.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
  }

  async start(): Promise<string> {
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
    const address = this.server.address() as { port: number };
    return `http://127.0.0.1:${address.port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private take(body: {
    resourceSpans: Array<{
      resource: { attributes: OtlpAttributes };
      scopeSpans: Array<{ spans: Array<Record<string, unknown>> }>;
    }>;
  }): void {
    for (const { resource, scopeSpans } of body.resourceSpans) {
      const service = String(attributesOf(resource.attributes)["service.name"]);
      for (const { spans } of scopeSpans) {
        for (const span of spans) {
          this.spans.push({
            service,
            traceId: span.traceId as string,
            spanId: span.spanId as string,
            parentSpanId: (span.parentSpanId as string | undefined) ?? "",
            name: span.name as string,
            kind: span.kind as number,
            attributes: attributesOf((span.attributes as OtlpAttributes | undefined) ?? []),
            links: ((span.links as Array<{ traceId: string; spanId: string }> | undefined) ?? []).map(
              ({ traceId, spanId }) => ({ traceId, spanId }),
            ),
          });
        }
      }
    }
  }
}

function attributesOf(attributes: OtlpAttributes): Record<string, unknown> {
  return Object.fromEntries(attributes.map(({ key, value }) => [key, valueOf(value)]));
}

function valueOf(value: OtlpValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  return value.arrayValue?.values?.map(valueOf);
}

/** OTLP span kinds. */
const SERVER = 2;
const CLIENT = 3;

async function post<T>(
  gateway: GatewayProcess,
  query: string,
  variables: Record<string, unknown>,
  files: UploadFile[],
  headers: Record<string, string> = {},
) {
  const body = multipartBody(query, variables, files);
  const response = await fetch(`${gateway.url}/graphql`, {
    method: "POST",
    headers: {
      "content-type": body.contentType,
      "apollo-require-preflight": "true",
      authorization: `Bearer ${TOKEN}`,
      ...headers,
    },
    body: Readable.toWeb(Readable.from(body.chunks())) as ReadableStream,
    duplex: "half",
  } as RequestInit);
  const answer = (await response.json()) as { data?: T; errors?: unknown[] };
  expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
  return answer.data!;
}

/** The shared document with an operation name, so its span can be found by it. */
function named(name: string, document: string): string {
  return document.replace(/mutation\s*\(/, `mutation ${name}(`);
}

/** Lines of a JSON log, parsed; other output (the start banner) skipped. */
function logLines(output: string): Array<Record<string, unknown>> {
  return output.split("\n").flatMap((line) => {
    if (!line.startsWith("{")) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/**
 * A gateway process and a tier process of their own, both exporting to a receiver the test runs:
 * one classifyImage is one trace across both services. Both processes are stopped (SIGTERM)
 * before the spans are read: flushing on shutdown is what delivers the last ones.
 */
describe("traces from gateway to tier over OTLP", () => {
  const receiver = new OtlpReceiver();
  let tier: TierProcess;
  let gateway: GatewayProcess;
  let dataDir: string;
  let tierLog = "";
  let gatewayLog = "";

  beforeAll(async () => {
    const endpoint = await receiver.start();
    dataDir = await mkdtemp(path.join(os.tmpdir(), "tessera-traces-"));
    tier = await startTierProcess(0, {
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_SERVICE_NAME: "traced-tier",
      LOG_LEVEL: "info",
    });
    gateway = await spawnGateway({
      TESSERA_DATA_DIR: dataDir,
      TESSERA_ADMIN_TOKEN: TOKEN,
      INFERENCE_URL: `127.0.0.1:${tier.port}`,
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_SERVICE_NAME: "traced-gateway",
      // The proxy in front is trusted to decide sampling (client-trace-context.test.ts: the default).
      TESSERA_TRACE_TRUST_CLIENTS: "true",
    });
    const version = await post<{ uploadModel: { id: string } }>(
      gateway,
      named("TracedUpload", UPLOAD_MODEL),
      { input: { slug: "traced-colours", modelType: "CLASSIFICATION" } },
      namedFiles({ "model.onnx": buildColourClassifier() }),
    );
    const versionId = version.uploadModel.id;
    const deployed = await post<{ deployModelVersion: { state: string } }>(
      gateway,
      named("TracedDeploy", DEPLOY),
      { id: versionId, config: { preprocessing: UNIT_PREPROCESSING } },
      [],
      // As a traced proxy or client in front of the gateway sends it.
      { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` },
    );
    expect(deployed.deployModelVersion.state).toBe("READY");
    await post(
      gateway,
      `mutation TracedClassify($id: ID!, $image: ImageInput!) {
        classifyImage(modelVersionId: $id, image: $image) { predictions { label } }
      }`,
      { id: versionId, image: { upload: null } },
      [
        {
          variable: "image.upload",
          filename: "red.png",
          content: await solidPng([220, 10, 10]),
          contentType: "image/png",
        },
      ],
    );
    const gatewayExit = once(gateway.child, "exit");
    gateway.child.kill("SIGTERM");
    await gatewayExit;
    gatewayLog = gateway.output();
    await tier.stop();
    tierLog = tier.stdout();
  }, 180_000);

  afterAll(async () => {
    await gateway?.kill();
    await tier?.stop();
    await receiver.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("names the operation span after the operation, with its type, cost and no errors", () => {
    const [operation, ...more] = receiver.spans.filter((span) => span.name === "TracedClassify");
    expect(more).toEqual([]);
    expect(operation).toMatchObject({
      service: "traced-gateway",
      kind: SERVER,
      parentSpanId: "",
      attributes: expect.objectContaining({
        "graphql.operation.type": "mutation",
        "graphql.operation.name": "TracedClassify",
        "tessera.graphql.cost": expect.any(Number),
        "tessera.graphql.error_count": 0,
      }),
    });
  });

  it("makes the tier's server span a child of the gateway's client span, in one trace", () => {
    const operation = receiver.spans.find((span) => span.name === "TracedClassify")!;
    const trace = receiver.spans.filter((span) => span.traceId === operation.traceId);
    expect(new Set(trace.map((span) => span.service))).toEqual(new Set(["traced-gateway", "traced-tier"]));
    const tierServer = trace.filter((span) => span.service === "traced-tier" && span.kind === SERVER);
    expect(tierServer.length).toBeGreaterThan(0);
    for (const server of tierServer) {
      const client = trace.find((span) => span.spanId === server.parentSpanId)!;
      expect(client).toMatchObject({ service: "traced-gateway", kind: CLIENT, name: server.name });
      expect(server.attributes["rpc.grpc.status_code"]).toBe(0);
    }
    // The classification itself ran in the tier's batcher: its timings are on the span.
    expect(tierServer.map((span) => span.attributes)).toContainEqual(
      expect.objectContaining({ "tessera.tier.batch_size": 1, "tessera.tier.queue_ms": expect.any(Number) }),
    );
  });

  it("traces the request's SQL and blob reads as children within the operation's trace", () => {
    const operation = receiver.spans.find((span) => span.name === "TracedClassify")!;
    const trace = receiver.spans.filter((span) => span.traceId === operation.traceId);
    const sql = trace.filter((span) => span.attributes["db.system.name"] === "postgresql");
    expect(sql.length).toBeGreaterThan(0);
    expect(
      sql.every((span) => span.kind === CLIENT && typeof span.attributes["db.query.text"] === "string"),
    ).toBe(true);
    const upload = receiver.spans.find((span) => span.name === "TracedUpload")!;
    const puts = receiver.spans.filter((span) => span.name === "blob put" && span.traceId === upload.traceId);
    expect(puts).toContainEqual(
      expect.objectContaining({
        attributes: expect.objectContaining({ "tessera.blob.size_bytes": buildColourClassifier().length }),
      }),
    );
  });

  it("continues the trace of a trusted caller that sends a traceparent header", () => {
    const deploy = receiver.spans.find((span) => span.name === "TracedDeploy")!;
    expect(deploy).toMatchObject({ traceId: CALLER_TRACE, parentSpanId: CALLER_SPAN, kind: SERVER });
    const load = receiver.spans.filter((span) => span.name.endsWith("/RepositoryModelLoad"));
    expect(load.map((span) => [span.service, span.traceId])).toEqual(
      expect.arrayContaining([
        ["traced-gateway", CALLER_TRACE],
        ["traced-tier", CALLER_TRACE],
      ]),
    );
  });

  it("puts the trace id on log lines written inside a traced request, on the tier too", () => {
    const deploy = receiver.spans.find((span) => span.name === "TracedDeploy")!;
    const ready = logLines(tierLog).filter((line) => line.msg === "model version ready");
    expect(ready.map((line) => line.trace_id)).toContain(deploy.traceId);
    // Lines outside any request carry none.
    const listening = logLines(gatewayLog).find(
      (line) => line.msg === "tracing on: spans are exported over OTLP/HTTP",
    )!;
    expect(listening).toMatchObject({
      tracesUrl: expect.stringMatching(/\/v1\/traces$/),
      serviceName: "traced-gateway",
    });
    expect(listening).not.toHaveProperty("trace_id");
  });
});
