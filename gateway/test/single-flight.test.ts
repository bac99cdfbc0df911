import { describe, expect, it } from "vitest";
import { FreshSingleFlight, SingleFlight } from "../src/single-flight";

/** A call that resolves when the test says so, numbered in the order the calls started. */
function controlledCalls() {
  const started: Array<(value: number) => void> = [];
  const call = () => new Promise<number>((resolve) => started.push(resolve));
  return { started, call, finish: (index: number) => started[index]!(index) };
}

describe("SingleFlight", () => {
  it("shares a running call per key, and starts anew once it ended or was forgotten", async () => {
    const flight = new SingleFlight<number>();
    const { started, call, finish } = controlledCalls();
    const first = [flight.run("a", call), flight.run("a", call)];
    const other = flight.run("b", call);
    expect(started).toHaveLength(2);
    finish(0);
    expect(await Promise.all(first)).toEqual([0, 0]);

    const later = flight.run("a", call);
    flight.forget();
    const afterChange = flight.run("a", call);
    expect(started).toHaveLength(4);
    finish(1);
    finish(2);
    finish(3);
    expect([await other, await later, await afterChange]).toEqual([1, 2, 3]);
  });
});

describe("FreshSingleFlight", () => {
  it("never answers with a read that started before it was asked for", async () => {
    const flight = new FreshSingleFlight<number>();
    const { started, call, finish } = controlledCalls();
    const first = flight.run("count", call);
    // Asked while the first read runs: they share the next one, which starts when it ends.
    const waiting = [flight.run("count", call), flight.run("count", call), flight.run("count", call)];
    expect(started).toHaveLength(1);
    finish(0);
    expect(await first).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toHaveLength(2);
    finish(1);
    expect(await Promise.all(waiting)).toEqual([1, 1, 1]);
  });

  it("starts the next read after a failed one", async () => {
    const flight = new FreshSingleFlight<number>();
    let calls = 0;
    const failing = flight.run("count", async () => {
      calls += 1;
      throw new Error("database went away");
    });
    const next = flight.run("count", async () => {
      calls += 1;
      return 7;
    });
    await expect(failing).rejects.toThrow("database went away");
    expect(await next).toBe(7);
    expect(calls).toBe(2);
  });
});
