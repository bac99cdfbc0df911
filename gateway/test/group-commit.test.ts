import { describe, expect, it } from "vitest";
import { GroupCommit } from "../src/group-commit";

/** A batch writer whose writes finish when the test says so. */
function controlledWriter(fail: (item: string) => boolean = () => false) {
  const batches: string[][] = [];
  const finish: Array<() => void> = [];
  const writer = new GroupCommit<string, string>(async (items) => {
    batches.push(items);
    await new Promise<void>((resolve) => finish.push(resolve));
    const bad = items.find(fail);
    if (bad) throw new Error(`bad ${bad}`);
    return items.map((item) => `id:${item}`);
  }, 3);
  return { writer, batches, finishNext: () => finish.shift()!() };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("GroupCommit", () => {
  it("writes a lone item at once, and items that arrive meanwhile together next, in batches of at most maxBatch", async () => {
    const { writer, batches, finishNext } = controlledWriter();
    const results = ["a", "b", "c", "d", "e"].map((item) => writer.add(item));
    await settle();
    expect(batches).toEqual([["a"]]);
    finishNext();
    await settle();
    expect(batches).toEqual([["a"], ["b", "c", "d"]]);
    finishNext();
    await settle();
    finishNext();
    expect(await Promise.all(results)).toEqual(["id:a", "id:b", "id:c", "id:d", "id:e"]);
    expect(batches).toEqual([["a"], ["b", "c", "d"], ["e"]]);
  });

  it("retries a failed batch item by item, so only the bad item's caller gets the error", async () => {
    const { writer, batches, finishNext } = controlledWriter((item) => item === "y");
    const first = writer.add("w");
    const rest = ["x", "y", "z"].map((item) => writer.add(item).catch((error: Error) => error.message));
    for (let i = 0; i < 5; i++) {
      await settle();
      finishNext();
    }
    expect(await first).toBe("id:w");
    expect(await Promise.all(rest)).toEqual(["id:x", "bad y", "id:z"]);
    expect(batches).toEqual([["w"], ["x", "y", "z"], ["x"], ["y"], ["z"]]);
  });
});
