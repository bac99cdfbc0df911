import net from "node:net";
import * as grpc from "@grpc/grpc-js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildLinearClassifier, linearClassifierSpec } from "@tessera/onnx/fixtures";
import { connectKServe } from "../../../inference/test/helpers/kserve-client";
import { loadRequest, rawFloat32 } from "../../../inference/test/helpers/model-loads";
import { startTierProcess, type TierProcess } from "../../../inference/test/helpers/tier-process";
import { AppError, ErrorCode } from "../../src/errors";
import { createLogger } from "../../src/logger";
import { rankTiers } from "../../src/tier/placement";
import { TierClient } from "../../src/tier/tier-client";
import { errorCodeForGrpcStatus } from "../../src/tier/tier-errors";

const logger = createLogger({ level: "silent" });

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function answeredBy(client: TierClient): Record<string, number> {
  return Object.fromEntries(client.status().map((tier) => [tier.address, tier.answered]));
}

async function metadataCalls(client: TierClient, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    expect(await client.kserve("ServerMetadata", {})).toMatchObject({ name: "tessera-inference" });
  }
}

describe("TierClient over two real tier processes", () => {
  let first: TierProcess;
  let second: TierProcess;
  let client: TierClient;
  let firstAddress: string;
  let secondAddress: string;
  /** Where idle calls without a model go: the tier ranked first for the empty key. */
  let preferred: string;
  let other: string;

  beforeAll(async () => {
    [first, second] = await Promise.all([startTierProcess(0), startTierProcess(0)]);
    firstAddress = `127.0.0.1:${first.port}`;
    secondAddress = `127.0.0.1:${second.port}`;
    client = new TierClient({
      urls: [firstAddress, `grpc://${secondAddress}`],
      logger,
      deadlineMs: 2_000,
      probeIntervalMs: 100,
      probeTimeoutMs: 2_000,
    });
    [preferred, other] = rankTiers("", [firstAddress, secondAddress]) as [string, string];
  });

  afterAll(async () => {
    client?.close();
    await Promise.all([first?.stop(), second?.stop()]);
  });

  it("knows each tier's load, models and device from its Status reports", async () => {
    expect(await client.ready()).toEqual({ ready: true });
    for (const tier of client.status()) {
      expect(tier).toMatchObject({ up: true, lastError: null, sentSinceReport: 0, load: 0 });
      expect(tier.report).toMatchObject({
        inFlight: 0,
        queued: 0,
        models: [],
        device: "cpu",
        executionProviders: ["cpu"],
        providerFallbacks: [],
        serverVersion: expect.stringMatching(/^\d+\.\d+\.\d+/),
      });
    }
  });

  it("sends calls one after another to the same idle tier: equal loads are ranked, not rotated", async () => {
    await metadataCalls(client, 10);
    expect(answeredBy(client)).toEqual({ [preferred]: 10, [other]: 0 });
  });

  it("splits concurrent calls by load: each call counts on its tier until it ends", async () => {
    const before = answeredBy(client);
    await Promise.all(Array.from({ length: 10 }, () => client.kserve("ServerMetadata", {})));
    const after = answeredBy(client);
    expect(after[preferred]! - before[preferred]!).toBe(5);
    expect(after[other]! - before[other]!).toBe(5);
  });

  it("sends model calls away from a tier whose report shows it busy", async () => {
    const [busy, idle] = rankTiers("colours", [firstAddress, secondAddress]) as [string, string];
    const model = buildLinearClassifier().toBytes();
    // Four requests make a batch and fewer wait (up to 10 s) for company: load held on `busy`.
    const waitsForFour = {
      max_batch_size: 4,
      dynamic_batching: { preferred_batch_size: [4], max_queue_delay_microseconds: 10_000_000 },
    };
    for (const tier of [busy, idle]) {
      await client.kserve(
        "RepositoryModelLoad",
        loadRequest("colours", { max_batch_size: 4 }, { 1: model }),
        { tier, deadlineMs: 60_000 },
      );
    }
    await client.kserve("RepositoryModelLoad", loadRequest("waits", waitsForFour, { 1: model }), {
      tier: busy,
      deadlineMs: 60_000,
    });
    const request = (name: string) => ({
      model_name: name,
      inputs: [{ name: linearClassifierSpec.input, datatype: "FP32", shape: [1, 4] }],
      raw_input_contents: [rawFloat32([1, 0, 0, 0])],
    });
    // Another client's calls, so only the tier's report can tell this one about them.
    const direct = connectKServe(Number(busy.split(":")[1]));
    try {
      const waiting = [
        direct.call("ModelInfer", request("waits")),
        direct.call("ModelInfer", request("waits")),
      ];
      await until(() => client.status().find((tier) => tier.address === busy)?.report?.inFlight === 2);
      const before = answeredBy(client);
      for (let i = 0; i < 3; i++) await client.kserve("ModelInfer", request("colours"));
      const after = answeredBy(client);
      expect([after[busy]! - before[busy]!, after[idle]! - before[idle]!]).toEqual([0, 3]);
      await Promise.all([
        ...waiting,
        direct.call("ModelInfer", request("waits")),
        direct.call("ModelInfer", request("waits")),
      ]);
    } finally {
      direct.close();
    }
  });

  it("keeps answering from the other tier when one is killed", async () => {
    // Idle again in every report, so the first call goes to the tier about to be killed.
    await until(() => client.status().every((tier) => tier.load === 0));
    const before = answeredBy(client);
    const killed = preferred === firstAddress ? first : second;
    await killed.stop("SIGKILL");
    await metadataCalls(client, 10);
    expect(answeredBy(client)).toEqual({ [preferred]: before[preferred], [other]: before[other]! + 10 });
    expect(client.status().find((tier) => tier.address === preferred)).toMatchObject({ up: false });
    expect(await client.ready()).toEqual({ ready: true });
  });

  it("uses a restarted tier again without being recreated", async () => {
    if (preferred === firstAddress) first = await startTierProcess(first.port);
    else second = await startTierProcess(second.port);
    await until(() => client.status().every((tier) => tier.up));
    const before = answeredBy(client);
    await metadataCalls(client, 10);
    const after = answeredBy(client);
    expect(after[preferred]! - before[preferred]!).toBe(10);
    expect(after[other]! - before[other]!).toBe(0);
  });

  it("passes the tier's own errors through without marking it down", async () => {
    const error = await client
      .kserve("ModelInfer", { model_name: "resnet" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: ErrorCode.NOT_FOUND,
      details: { tierStatus: "NOT_FOUND" },
    });
    expect((error as AppError).message).toContain('"resnet"');
    expect(client.status().every((tier) => tier.up)).toBe(true);
  });

  it("answers SERVICE_UNAVAILABLE within the deadline when every tier is down", async () => {
    await Promise.all([first.stop("SIGKILL"), second.stop("SIGKILL")]);
    const started = Date.now();
    const error = (await client
      .kserve("ServerMetadata", {}, { deadlineMs: 1_000 })
      .catch((caught: unknown) => caught)) as AppError;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
    expect(error.message).toMatch(
      /^No inference tier could be reached \(tried 127\.0\.0\.1:\d+, 127\.0\.0\.1:\d+: /,
    );
    const readiness = await client.ready();
    expect(readiness.ready).toBe(false);
    expect(readiness.reason).toContain(`no inference tier is ready: ${firstAddress} (`);
    expect(readiness.reason).toContain(secondAddress);
  });
});

describe("TierClient against a tier that never answers", () => {
  const silent = net.createServer(() => {});
  let client: TierClient | undefined;

  afterEach(() => client?.close());
  afterAll(() => silent.close());

  it("gives up with SERVICE_UNAVAILABLE at the deadline", async () => {
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const address = `127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    client = new TierClient({ urls: [address], logger, deadlineMs: 300 });
    const started = Date.now();
    const error = await client.kserve("ServerLive", {}).catch((caught: unknown) => caught);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1_500);
    expect(error).toMatchObject({
      code: ErrorCode.SERVICE_UNAVAILABLE,
      message: "The inference tier did not answer ServerLive within 300 ms; try again shortly",
      details: { tierStatus: "DEADLINE_EXCEEDED" },
    });
  });
});

describe("gRPC status → error code", () => {
  const table: Array<[grpc.status, ErrorCode]> = [
    [grpc.status.OK, ErrorCode.INTERNAL_SERVER_ERROR],
    [grpc.status.CANCELLED, ErrorCode.INTERNAL_SERVER_ERROR],
    [grpc.status.UNKNOWN, ErrorCode.INTERNAL_SERVER_ERROR],
    [grpc.status.INVALID_ARGUMENT, ErrorCode.BAD_USER_INPUT],
    [grpc.status.DEADLINE_EXCEEDED, ErrorCode.SERVICE_UNAVAILABLE],
    [grpc.status.NOT_FOUND, ErrorCode.NOT_FOUND],
    [grpc.status.ALREADY_EXISTS, ErrorCode.CONFLICT],
    [grpc.status.PERMISSION_DENIED, ErrorCode.FORBIDDEN],
    [grpc.status.RESOURCE_EXHAUSTED, ErrorCode.SERVICE_UNAVAILABLE],
    [grpc.status.FAILED_PRECONDITION, ErrorCode.BAD_USER_INPUT],
    [grpc.status.ABORTED, ErrorCode.CONFLICT],
    [grpc.status.OUT_OF_RANGE, ErrorCode.BAD_USER_INPUT],
    [grpc.status.UNIMPLEMENTED, ErrorCode.INTERNAL_SERVER_ERROR],
    [grpc.status.INTERNAL, ErrorCode.INTERNAL_SERVER_ERROR],
    [grpc.status.UNAVAILABLE, ErrorCode.SERVICE_UNAVAILABLE],
    [grpc.status.DATA_LOSS, ErrorCode.INTERNAL_SERVER_ERROR],
    [grpc.status.UNAUTHENTICATED, ErrorCode.UNAUTHENTICATED],
  ];
  it.each(table.map(([status, code]) => [grpc.status[status], status, code] as const))(
    "%s → %s",
    (_name, status, code) => {
      expect(errorCodeForGrpcStatus(status)).toBe(code);
    },
  );
});
