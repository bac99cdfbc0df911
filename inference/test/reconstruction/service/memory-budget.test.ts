import * as grpc from "@grpc/grpc-js";
import { estimateRadianceFieldBytes } from "@tessera/proto/reconstruction-settings";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectReconstruction, type ReconstructClient } from "../../helpers/reconstruct-client";
import { radianceFieldMessages, tinyScene } from "../../helpers/reconstruction-requests";
import type { SyntheticScene } from "../../helpers/synthetic-scene";
import { startTierProcess, type TierProcess } from "../../helpers/tier-process";

// Runs share TESSERA_RECONSTRUCTION_MAX_BYTES: 4 MiB holds one tiny run (grid 16³, one thread,
// ten 16×16 frames) but not two.
const limit = 4 * 1024 ** 2;
const oneRun = estimateRadianceFieldBytes({
  gridResolution: 16,
  viewDependent: false,
  threads: 1,
  frames: 10,
  width: 16,
  height: 16,
});

describe("Reconstruct's memory budget across concurrent runs", () => {
  let tier: TierProcess;
  let client: ReconstructClient;
  let scene: SyntheticScene;

  beforeAll(async () => {
    // The tier logs each call's end once its run has stopped: the evidence that a cancelled run let go.
    tier = await startTierProcess(0, { TESSERA_RECONSTRUCTION_MAX_BYTES: String(limit), LOG_LEVEL: "info" });
    client = connectReconstruction(tier.port);
    scene = tinyScene();
  });

  afterAll(async () => {
    client?.close();
    await tier?.stop();
  });

  /** Calls the tier has logged as ended (finished, failed or cancelled). */
  const ended = () => tier.stdout().match(/"msg":"reconstruction (finished|failed|cancelled)/g)?.length ?? 0;

  /** Resolves when the tier has logged `count` ended calls. */
  async function endedCalls(count: number): Promise<void> {
    const deadline = performance.now() + 10_000;
    while (ended() < count) {
      if (performance.now() > deadline) throw new Error(`the tier did not log ${count} ended calls`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  const quickRun = () =>
    radianceFieldMessages(scene, {
      settings: { steps: 20, preview_every: 0, checkpoint_every: 0, turntable_frames: 0 },
    });

  it("refuses a second run UNAVAILABLE while the first holds the memory, and accepts it after", async () => {
    expect(oneRun).toBeLessThanOrEqual(limit);
    expect(2 * oneRun).toBeGreaterThan(limit);
    const first = client.reconstruct(
      await radianceFieldMessages(scene, {
        settings: { steps: 100_000, preview_every: 0, checkpoint_every: 0 },
      }),
    );
    await first.waitFor((event) => event.progress?.phase === "optimising");

    const [start] = await quickRun();
    const refused = client.reconstruct([start!]);
    expect(await refused.status).toEqual({
      code: grpc.status.UNAVAILABLE,
      details: "the tier is busy with other reconstructions; retry later",
    });
    expect(refused.events).toEqual([]);

    const before = ended();
    first.cancel();
    await endedCalls(before + 1);
    const accepted = client.reconstruct(await quickRun());
    expect(await accepted.status).toEqual({ code: grpc.status.OK, details: "OK" });
    expect(accepted.events.at(-1)?.result).toBeTruthy();
  });

  it("frees the memory of a call cancelled while it was still sending frames", async () => {
    const [start, ...frames] = await radianceFieldMessages(scene);
    const sending = client.reconstruct([start!, ...frames.slice(0, 3)], { halfClose: false });
    // Refused only while the unfinished call's start holds the budget: the tier has read it.
    const probe = client.reconstruct([start!]);
    expect((await probe.status).code).toBe(grpc.status.UNAVAILABLE);
    const before = ended();
    sending.cancel();
    await endedCalls(before + 1);
    const accepted = client.reconstruct(await quickRun());
    expect(await accepted.status).toEqual({ code: grpc.status.OK, details: "OK" });
  });
});
