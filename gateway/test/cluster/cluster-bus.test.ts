import { randomBytes } from "node:crypto";
import pg from "pg";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CLUSTER_CHANNEL, ClusterBus } from "../../src/cluster/cluster-bus";
import { relayAdjustmentFits, relayServingChanges } from "../../src/cluster/cluster-relays";
import { createLogger } from "../../src/logger";
import { createEmptyDatabase, onRealServer, type EmptyDatabase } from "../support/database";

const logger = createLogger({ level: "silent" });

let database: EmptyDatabase;
const started: ClusterBus[] = [];

async function bus(
  options: Parameters<typeof ClusterBus.start>[2] = {},
  url = database.url,
  busLogger = logger,
): Promise<ClusterBus> {
  const next = await ClusterBus.start(url, busLogger, options);
  started.push(next);
  return next;
}

/** A logger that keeps its lines, to count what the bus reported and wait for a line. */
function recordingLogger() {
  const lines: Array<{ msg: string; level: number }> = [];
  const waiting: Array<{ text: string; seen: () => void }> = [];
  const recorded = pino(
    { level: "debug" },
    {
      write(line: string) {
        const entry = JSON.parse(line) as { msg: string; level: number };
        lines.push(entry);
        for (const each of waiting) if (entry.msg.includes(each.text)) each.seen();
      },
    },
  );
  return {
    logger: recorded,
    warnings: (text: string) => lines.filter((line) => line.level === 40 && line.msg.includes(text)).length,
    logged: (text: string) => new Promise<void>((seen) => waiting.push({ text, seen })),
  };
}

/** Listens under a bus's name but never acknowledges (a process stuck, or a host gone without a word). */
async function muteListener() {
  const mute = new pg.Client({ connectionString: database.url, application_name: "tessera-cluster:mute" });
  const payloads: string[] = [];
  let heard = () => {};
  mute.on("notification", (message) => {
    payloads.push(message.payload ?? "");
    heard();
  });
  await mute.connect();
  await mute.query(`LISTEN ${CLUSTER_CHANNEL}`);
  return {
    /** Resolves once it has been sent `count` messages on `topic`. */
    async received(count: number, topic: string): Promise<void> {
      const onTopic = () => payloads.filter((payload) => payload.includes(`"topic":"${topic}"`)).length;
      while (onTopic() < count) await new Promise<void>((resolve) => (heard = resolve));
    },
    notify: (payload: string) => mute.query("SELECT pg_notify($1, $2)", [CLUSTER_CHANNEL, payload]),
    end: () => mute.end(),
  };
}

/** As settleClusterPlugin has a mutation do: its own publishes tracked, in an async context of its own. */
async function asOneRequest(on: ClusterBus, work: () => void): Promise<void> {
  await null;
  const settled = on.trackPublishes();
  work();
  await settled();
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
    await asOneRequest(first, () => void first.publish("news", { id: 1 }));
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

    await asOneRequest(b, () => void b.publish("serving-changed", { modelId: "m2" }));
    expect(heard.filter((entry) => entry.endsWith("m2")).sort()).toEqual(["A:m2", "C:m2"]);
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
    const mute = await muteListener();
    try {
      const heard: unknown[] = [];
      b.subscribe("sign-ins-changed", (data) => heard.push(data));
      await a.publish("sign-ins-changed", { userId: "u1" });
      expect(heard).toEqual([{ userId: "u1" }]);
    } finally {
      await mute.end();
    }
  });

  it("waits for a silent listener once, then not until it answers again, and still sends it everything", async () => {
    const log = recordingLogger();
    const a = await bus({ ackTimeoutMs: 100 }, database.url, log.logger);
    const b = await bus();
    const mute = await muteListener();
    const timedOut = () => log.warnings("did not acknowledge");
    try {
      const heard: unknown[] = [];
      b.subscribe("sign-ins-changed", (data) => heard.push(data));
      await a.publish("sign-ins-changed", { userId: "u1" });
      expect(timedOut()).toBe(1);
      await a.publish("sign-ins-changed", { userId: "u2" });
      await a.publish("sign-ins-changed", { userId: "u3" });
      expect(timedOut()).toBe(1);
      // B is still waited for: it applied each before its publish resolved.
      expect(heard).toEqual([{ userId: "u1" }, { userId: "u2" }, { userId: "u3" }]);

      // Any answer (a late one here) makes it one to wait for again. Notified before A's next
      // query, it reaches A's connection before that query's result does.
      const late = { from: "mute", topic: "ack", data: { to: a.processId, id: "late" } };
      await mute.notify(JSON.stringify(late));
      await a.publish("sign-ins-changed", { userId: "u4" });
      expect(timedOut()).toBe(2);

      await mute.received(4, "sign-ins-changed");
    } finally {
      await mute.end();
    }
  });

  it("ignores notifications Tessera did not send, whatever their shape, and goes on delivering", async () => {
    const log = recordingLogger();
    const a = await bus();
    const b = await bus({}, database.url, log.logger);
    const heard: unknown[] = [];
    b.subscribe("news", (data) => heard.push(data));
    const malformed = [
      "null",
      "42",
      '"news"',
      "[]",
      "{}",
      "not json",
      '{"from":"x","topic":"ack","data":null}',
      '{"from":"x","topic":"ack"}',
      `{"from":"x","topic":"ack","data":{"to":"${b.processId}","id":7}}`,
      '{"from":7,"topic":"news","data":{"n":0}}',
      '{"from":"x","topic":["news"],"data":{"n":0}}',
      '{"from":"x","topic":"news","data":{"n":0},"id":5}',
    ];
    // Any role that can connect can notify on the channel.
    const stranger = new pg.Client({ connectionString: database.url });
    await stranger.connect();
    try {
      for (const payload of malformed)
        await stranger.query("SELECT pg_notify($1, $2)", [CLUSTER_CHANNEL, payload]);
    } finally {
      await stranger.end();
    }
    // Notified after them, so B has been through them all by the time it acknowledges this.
    await a.publish("news", { n: 1 });
    expect(heard).toEqual([{ n: 1 }]);
    expect(b.mode).toBe("notify");
    expect(log.warnings("did not send")).toBe(1);
  });

  it("keeps trying to listen when it cannot at first, and listens once it can", async () => {
    const name = `tessera_test_late_${randomBytes(4).toString("hex")}`;
    const url = new URL(database.url);
    url.pathname = `/${name}`;
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const log = recordingLogger();
    try {
      // The database is not there yet (a replica started before it, or a loaded server).
      const late = await bus({ reconnectMs: 5 }, url.toString(), log.logger);
      expect(late.mode).toBe("local");
      const listening = log.logged("cluster bus listening");
      await admin.query(`CREATE DATABASE "${name}"`);
      await listening;
      expect(late.mode).toBe("notify");
      await late.stop();
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
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

    await asOneRequest(a, () => {
      onA.invalidateServingTargets("m1");
      fittedOnA("v1");
    });
    expect(onB.invalidated).toEqual(["m1"]);
    expect(adjustmentsOnB).toEqual(["v1"]);
    // Anything B sent back would reach A before this (one sender's notifications keep their order).
    await b.publish("barrier", {});
    expect(onA.invalidated).toEqual(["m1"]);
  });

  it("refuses a message too large for NOTIFY (a programming error, not a user's)", async () => {
    const a = await bus();
    expect(() => a.publish("news", { text: "x".repeat(8_000) })).toThrow(RangeError);
  });
});
