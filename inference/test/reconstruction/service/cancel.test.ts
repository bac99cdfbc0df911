import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectReconstruction, type ReconstructClient } from "../../helpers/reconstruct-client";
import { radianceFieldMessages, tinyScene } from "../../helpers/reconstruction-requests";
import { startTierProcess, type TierProcess } from "../../helpers/tier-process";

describe("cancelling Reconstruct", () => {
  let tier: TierProcess;
  let client: ReconstructClient;

  beforeAll(async () => {
    // The tier logs when a run has stopped and released its workers: that line is the evidence.
    tier = await startTierProcess(0, { LOG_LEVEL: "info" });
    client = connectReconstruction(tier.port);
  });

  afterAll(async () => {
    client?.close();
    await tier?.stop();
  });

  /** Resolves when the tier has logged `message`, with the time it was first seen. */
  async function logged(message: string, timeoutMs: number): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    while (!tier.stdout().includes(`"msg":"${message}"`)) {
      if (performance.now() > deadline)
        throw new Error(`the tier did not log "${message}" within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return performance.now();
  }

  it("stops a run within a second of the client cancelling the call", async () => {
    const messages = await radianceFieldMessages(tinyScene(), {
      settings: { steps: 100_000, preview_every: 0, checkpoint_every: 0 },
    });
    const call = client.reconstruct(messages);
    await call.waitFor((event) => event.progress?.phase === "optimising");
    const cancelled = performance.now();
    call.cancel();
    const stopped = await logged("reconstruction cancelled", 5_000);
    expect(stopped - cancelled).toBeLessThan(1_000);
    expect((await call.status).code).toBe(1);
    expect(call.events.some((event) => event.result)).toBe(false);
  });
});
