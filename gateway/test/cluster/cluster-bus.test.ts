import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CLUSTER_CHANNEL, ClusterBus } from "../../src/cluster/cluster-bus";
import { relayAdjustmentFits, relayServingChanges } from "../../src/cluster/cluster-relays";
import { createLogger } from "../../src/logger";
import { createEmptyDatabase, onRealServer, type EmptyDatabase } from "../support/database";

const logger = createLogger({ level: "silent" });

let database: EmptyDatabase;
const started: ClusterBus[] = [];

async function bus(options: Parameters<typeof ClusterBus.start>[2] = {}): Promise<ClusterBus> {
  const next = await ClusterBus.start(database.url, logger, options);
  started.push(next);
  return next;
}

beforeAll(async () => {
  database = await createEmptyDatabase();
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((each) => each.stop()));
});
afterAll(() => database?.close());

describe.skipIf(onRealServer)("the cluster bus on the embedded database", () => {
  it("is local: one process alone, publishing costs nothing and nobody hears it", async () => {
    const [first, second] = [await bus(), await bus()];
    const heard: unknown[] = [];
    second.subscribe("news", (data) => heard.push(data));
    expect([first.mode, second.mode]).toEqual(["local", "local"]);
    await first.publish("news", { id: 1 });
    await first.settled();
    expect(heard).toEqual([]);
  });
});

// Notifications between connections need a real server (PGlite's socket server does not pass them).
describe.skipIf(!onRealServer)("the cluster bus on PostgreSQL", () => {
  it("has every other process apply an acknowledged message before publish resolves, never the sender", async () => {
    const [a, b, c] = [await bus(), await bus(), await bus()];
    expect([a.mode, b.mode, c.mode]).toEqual(["notify", "notify", "notify"]);
    const heard: string[] = [];
    for (const [name, each] of [
      ["A", a],
      ["B", b],
      ["C", c],
    ] as const)
      each.subscribe("serving-changed", (data) =>
        heard.push(`${name}:${(data as { modelId: string }).modelId}`),
      );

    await a.publish("serving-changed", { modelId: "m1" });
    expect(heard.sort()).toEqual(["B:m1", "C:m1"]);

    const settled = b.publish("serving-changed", { modelId: "m2" });
    await b.settled();
    expect(heard.filter((entry) => entry.endsWith("m2")).sort()).toEqual(["A:m2", "C:m2"]);
    await settled;
  });

  it("delivers unacknowledged messages in the order they were sent", async () => {
    const [a, b] = [await bus(), await bus()];
    const heard: number[] = [];
    let last!: () => void;
    const done = new Promise<void>((resolve) => (last = resolve));
    b.subscribe("upload-progress", (data) => {
      heard.push((data as { n: number }).n);
      if (heard.length === 20) last();
    });
    for (let n = 0; n < 20; n += 1) void a.publish("upload-progress", { n }, { acknowledged: false });
    await done;
    expect(heard).toEqual(Array.from({ length: 20 }, (_, n) => n));
  });

  it("stops waiting for a listener that never answers, and still reaches the others", async () => {
    const [a, b] = [await bus({ ackTimeoutMs: 200 }), await bus()];
    // Listens under a bus's name but never acknowledges (a process stuck in synchronous work).
    const mute = new pg.Client({ connectionString: database.url, application_name: "tessera-cluster:mute" });
    await mute.connect();
    await mute.query(`LISTEN ${CLUSTER_CHANNEL}`);
    try {
      const heard: unknown[] = [];
      b.subscribe("sign-ins-changed", (data) => heard.push(data));
      await a.publish("sign-ins-changed", { userId: "u1" });
      expect(heard).toEqual([{ userId: "u1" }]);
    } finally {
      await mute.end();
    }
  });

  it("relays a serving change to the other process once, and never back to where it came from", async () => {
    // As DeploymentsService does: invalidating tells the listeners, whoever asked for it.
    const deployments = () => {
      const listeners: Array<(modelId: string) => void> = [];
      const invalidated: string[] = [];
      return {
        invalidated,
        onServingChanged: (listener: (modelId: string) => void) => void listeners.push(listener),
        invalidateServingTargets(modelId: string) {
          invalidated.push(modelId);
          for (const listener of listeners) listener(modelId);
        },
      };
    };
    const [a, b] = [await bus(), await bus()];
    const [onA, onB] = [deployments(), deployments()];
    relayServingChanges(a, onA);
    relayServingChanges(b, onB);
    const fittedOnA = relayAdjustmentFits(a, { invalidate: () => {} });
    const adjustmentsOnB: string[] = [];
    relayAdjustmentFits(b, { invalidate: (versionId) => adjustmentsOnB.push(versionId) });

    onA.invalidateServingTargets("m1");
    fittedOnA("v1");
    await a.settled();
    expect(onB.invalidated).toEqual(["m1"]);
    expect(adjustmentsOnB).toEqual(["v1"]);
    // Anything B sent back would reach A before this (one sender's notifications keep their order).
    await b.publish("barrier", {});
    await b.settled();
    expect(onA.invalidated).toEqual(["m1"]);
  });

  it("refuses a message too large for NOTIFY (a programming error, not a user's)", async () => {
    const a = await bus();
    expect(() => a.publish("news", { text: "x".repeat(8_000) })).toThrow(RangeError);
  });
});
