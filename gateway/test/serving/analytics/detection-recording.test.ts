import "reflect-metadata";
import { Readable } from "node:stream";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import type { ScoreOutcome } from "../../../src/serving/scoring";
import { InferenceService } from "../../../src/inference/inference.service";
import { InferenceTask } from "../../../src/inference/deployments.types";
import { detectionDefaults } from "../../../src/inference/detection-messages";

/** detect() over fakes: a tier that answers one box, and an artifact store that may fail. */
async function detectWith(save: () => Promise<unknown>) {
  const png = await sharp({
    create: { width: 4, height: 4, channels: 3, background: { r: 200, g: 30, b: 30 } },
  })
    .png()
    .toBuffer();
  const recorded: Array<[string, ScoreOutcome]> = [];
  const deployments = {
    servingTarget: async () => ({
      config: { task: InferenceTask.DETECTION },
      tierModelName: "m",
      tierModelVersion: "1",
    }),
    callTier: async () => ({
      model_name: "m",
      model_version: "1",
      detections: [{ label: "cat", score: 0.9, class_index: 0, box: { x1: 0, y1: 0, x2: 2, y2: 2 } }],
      width: 4,
      height: 4,
      latency_ms: 3,
      timings: null,
    }),
  };
  const service = new InferenceService(
    null as never,
    deployments as never,
    null as never,
    { save } as never,
    null as never,
    { maxImageBytes: 1_000_000 } as never,
    null as never,
    { record: (versionId: string, outcome: ScoreOutcome) => recorded.push([versionId, outcome]) } as never,
  );
  const upload = Promise.resolve({ filename: "x.png", createReadStream: () => Readable.from([png]) });
  const result = service.detect(null, "v1", { upload } as never, detectionDefaults, {
    artifactUrl: () => "https://example.test/a",
  } as never);
  return { result, recorded };
}

describe("detectObjects' analytics", () => {
  it("records a request that failed after the tier answered, as an error", async () => {
    const { result, recorded } = await detectWith(async () => {
      throw new Error("disk full");
    });
    await expect(result).rejects.toThrow("disk full");
    expect(recorded.map(([id, outcome]) => [id, "errorCode" in outcome ? outcome.errorCode : "ok"])).toEqual([
      ["v1", "INTERNAL_SERVER_ERROR"],
    ]);
  });

  it("records an answered request once, with the tier's boxes", async () => {
    const { result, recorded } = await detectWith(async () => ({ id: "a1" }));
    expect((await result).detections).toHaveLength(1);
    expect(recorded.map(([, outcome]) => ("scored" in outcome ? outcome.scored.servedBy : "error"))).toEqual([
      "tier",
    ]);
  });
});
