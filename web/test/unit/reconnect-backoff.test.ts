import { describe, expect, it } from "vitest";
import { reconnectDelayMs } from "../../src/api/reconnect-backoff";

describe("reconnecting a dropped WebSocket", () => {
  it("doubles the wait from half a second up to 15 s, never less than half of it", () => {
    const highest = () => 0.999999;
    const lowest = () => 0;
    expect([0, 1, 2, 3, 4, 5, 6, 30].map((retries) => reconnectDelayMs(retries, highest))).toEqual([
      500, 1000, 2000, 4000, 8000, 15000, 15000, 15000,
    ]);
    expect([0, 5].map((retries) => reconnectDelayMs(retries, lowest))).toEqual([250, 7500]);
  });
});
