import net from "node:net";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import packageJson from "../package.json" with { type: "json" };
import { runTierUntilExit, startTierProcess, type TierProcess } from "./helpers/tier-process";

// A client built straight from the proto file, as any KServe v2 / Triton user would build one.
const definition = protoLoader.loadSync("kserve/grpc_service.proto", {
  keepCase: true,
  defaults: true,
  includeDirs: [fileURLToPath(new URL("../../proto", import.meta.url))],
});
const { inference } = grpc.loadPackageDefinition(definition) as unknown as {
  inference: { GRPCInferenceService: typeof grpc.Client };
};

type Unary = (request: object, options: grpc.CallOptions, callback: grpc.requestCallback<object>) => void;

function call(client: grpc.Client, rpc: string, request: object = {}): Promise<Record<string, unknown>> {
  const method = (client as unknown as Record<string, Unary>)[rpc]!.bind(client);
  return new Promise((resolve, reject) =>
    method(request, { deadline: Date.now() + 5_000 }, (error, response) =>
      error ? reject(error) : resolve(response as Record<string, unknown>),
    ),
  );
}

describe("the tier answers the KServe v2 health and metadata RPCs", () => {
  let tier: TierProcess;
  let client: grpc.Client;

  beforeAll(async () => {
    tier = await startTierProcess(0);
    client = new inference.GRPCInferenceService(`127.0.0.1:${tier.port}`, grpc.credentials.createInsecure());
  });

  afterAll(async () => {
    client?.close();
    await tier?.stop();
  });

  it("is live and ready", async () => {
    expect(await call(client, "ServerLive")).toEqual({ live: true });
    expect(await call(client, "ServerReady")).toEqual({ ready: true });
  });

  it("names itself with the package version and the extensions it serves", async () => {
    expect(await call(client, "ServerMetadata")).toEqual({
      name: "tessera-inference",
      version: packageJson.version,
      extensions: ["model_repository", "model_configuration", "statistics"],
    });
  });

  it("has an empty repository index", async () => {
    expect(await call(client, "RepositoryIndex", { repository_name: "", ready: false })).toEqual({
      models: [],
    });
    expect(await call(client, "RepositoryIndex", { ready: true })).toEqual({ models: [] });
  });

  it("answers NOT_FOUND for inference on a model it does not hold", async () => {
    const error = await call(client, "ModelInfer", { model_name: "resnet" }).catch((caught) => caught);
    expect(error).toMatchObject({
      code: grpc.status.NOT_FOUND,
      details: 'model "resnet" is not loaded in this tier',
    });
  });

  it("answers UNIMPLEMENTED for Triton RPCs outside the contract (CUDA shared memory)", async () => {
    const error = await new Promise<grpc.ServiceError>((resolve) =>
      client.makeUnaryRequest(
        "/inference.GRPCInferenceService/CudaSharedMemoryStatus",
        (value: Buffer) => value,
        (value: Buffer) => value,
        Buffer.alloc(0),
        (caught) => resolve(caught!),
      ),
    );
    expect(error.code).toBe(grpc.status.UNIMPLEMENTED);
  });
});

describe("the tier process", () => {
  it("drains and exits 0 on SIGTERM and on SIGINT", async () => {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      const tier = await startTierProcess(0);
      expect(await tier.stop(signal)).toBe(0);
    }
  });

  it("stops when the process that started it goes away", async () => {
    const tier = await startTierProcess(0);
    const exited = new Promise((resolve) => tier.child.once("exit", resolve));
    tier.child.disconnect();
    expect(await exited).toBe(0);
  });

  it("exits 1 saying the port is taken when it is", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const { code, stdout } = await runTierUntilExit({ INFERENCE_PORT: String(port), LOG_LEVEL: "info" });
      expect(code).toBe(1);
      const fatal = stdout
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { level: number; msg: string })
        .find((entry) => entry.level === 60);
      expect(fatal?.msg).toBe(
        `Cannot listen on 127.0.0.1:${port}: the address is already in use. Stop the process using it or set INFERENCE_PORT to a free port.`,
      );
    } finally {
      blocker.close();
    }
  });

  it("exits 1 naming the variable when the configuration is wrong", async () => {
    const { code, stdout } = await runTierUntilExit({ INFERENCE_PORT: "eighty", LOG_LEVEL: "info" });
    expect(code).toBe(1);
    expect(stdout).toContain('INFERENCE_PORT must be an integer between 0 and 65535, got \\"eighty\\"');
  });
});
