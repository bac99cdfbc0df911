import net from "node:net";
import * as grpc from "@grpc/grpc-js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTierProcess, type TierProcess } from "../../../inference/test/helpers/tier-process";
import { AppError, ErrorCode } from "../../src/errors";
import { createLogger } from "../../src/logger";
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

  beforeAll(async () => {
    [first, second] = await Promise.all([startTierProcess(0), startTierProcess(0)]);
    firstAddress = `127.0.0.1:${first.port}`;
    secondAddress = `127.0.0.1:${second.port}`;
    client = new TierClient({
      urls: [firstAddress, `grpc://${secondAddress}`],
      logger,
      deadlineMs: 2_000,
      probeIntervalMs: 100,
      probeTimeoutMs: 500,
    });
  });

  afterAll(async () => {
    client?.close();
    await Promise.all([first?.stop(), second?.stop()]);
  });

  it("spreads calls round-robin across the tiers", async () => {
    await metadataCalls(client, 10);
    expect(answeredBy(client)).toEqual({ [firstAddress]: 5, [secondAddress]: 5 });
    expect(await client.ready()).toEqual({ ready: true });
  });

  it("keeps answering from the other tier when one is killed", async () => {
    const before = answeredBy(client);
    await first.stop("SIGKILL");
    await metadataCalls(client, 10);
    expect(answeredBy(client)).toEqual({ [firstAddress]: before[firstAddress], [secondAddress]: 15 });
    expect(client.status().find((tier) => tier.address === firstAddress)).toMatchObject({ up: false });
    expect(await client.ready()).toEqual({ ready: true });
  });

  it("uses a restarted tier again without being recreated", async () => {
    first = await startTierProcess(first.port);
    await until(() => client.status().every((tier) => tier.up));
    const before = answeredBy(client);
    await metadataCalls(client, 10);
    const after = answeredBy(client);
    expect(after[firstAddress]! - before[firstAddress]!).toBe(5);
    expect(after[secondAddress]! - before[secondAddress]!).toBe(5);
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
