import { describe, expect, it } from "vitest";
import { PixelBudget } from "../../src/scenes/pixel-budget";

/** Lets every promise that can settle now settle (no timer: nothing is waited for). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("PixelBudget", () => {
  it("decodes photos together only while their pixels fit, in arrival order", async () => {
    const budget = new PixelBudget(64_000_000);
    const started: string[] = [];
    const acquire = (name: string, pixels: number) =>
      budget.acquire(pixels).then((release) => {
        started.push(name);
        return release;
      });
    const a = acquire("a 40 MP", 40_000_000);
    const b = acquire("b 20 MP", 20_000_000);
    const c = acquire("c 30 MP", 30_000_000);
    const d = acquire("d 1 MP", 1_000_000);
    await settle();
    // c would make 90 MP; d fits but waits behind c so c is not overtaken forever.
    expect(started).toEqual(["a 40 MP", "b 20 MP"]);
    expect(budget.pixelsInFlight).toBe(60_000_000);
    (await a)();
    await settle();
    expect(started).toEqual(["a 40 MP", "b 20 MP", "c 30 MP", "d 1 MP"]);
    expect(budget.pixelsInFlight).toBe(51_000_000);
    (await b)();
    (await c)();
    const releaseD = await d;
    releaseD();
    releaseD();
    expect(budget.pixelsInFlight).toBe(0);
  });

  it("lets one photo over the budget decode alone", async () => {
    const budget = new PixelBudget(64_000_000);
    const releaseBig = await budget.acquire(100_000_000);
    let smallStarted = false;
    const small = budget.acquire(1).then((release) => {
      smallStarted = true;
      return release;
    });
    await settle();
    expect(smallStarted).toBe(false);
    releaseBig();
    (await small)();
    expect(smallStarted).toBe(true);
    expect(budget.pixelsInFlight).toBe(0);
  });
});
