import { validateBytes } from "gltf-validator";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  artifactsOf,
  connectReconstruction,
  eventKinds,
  type ReconstructClient,
  type ReconstructEvent,
} from "../../helpers/reconstruct-client";
import { checkpointAt, radianceFieldMessages, tinyScene } from "../../helpers/reconstruction-requests";
import type { SyntheticScene } from "../../helpers/synthetic-scene";
import { startTierProcess, type TierProcess } from "../../helpers/tier-process";

// One tiny run (16×16 frames, grid 16, 300 steps, previews every 100, a checkpoint every 200)
// read as a gateway reads it, then the same run resumed from its checkpoint.

describe("Reconstruct RADIANCE_FIELD", () => {
  let tier: TierProcess;
  let client: ReconstructClient;
  let scene: SyntheticScene;
  let events: ReconstructEvent[];

  beforeAll(async () => {
    tier = await startTierProcess(0);
    client = connectReconstruction(tier.port);
    scene = tinyScene();
    const call = client.reconstruct(await radianceFieldMessages(scene));
    expect(await call.status).toEqual({ code: 0, details: "OK" });
    events = call.events;
  });

  afterAll(async () => {
    client?.close();
    await tier?.stop();
  });

  it("streams progress, previews and checkpoints while optimising, then renders, turntable, mesh, points and the result", () => {
    const kinds = eventKinds(events);
    // Chunks of one artifact come back to back; show each artifact once.
    const shape = kinds.filter(
      (kind, index) => !(kind.startsWith("artifact") && events[index].artifact.last === false),
    );
    const checkpointChunks = events.filter((event) => event.checkpoint).length;
    const optimising = Array.from({ length: 30 }, (_, index) => (index + 1) * 10).flatMap((step) => [
      "progress:optimising",
      ...(step % 100 === 0 ? ["artifact:PREVIEW_PNG"] : []),
      ...(step === 200 ? Array<string>(checkpointChunks).fill("checkpoint") : []),
    ]);
    expect(shape).toEqual([
      ...optimising,
      "progress:rendering",
      "artifact:RENDER_PNG",
      "artifact:RENDER_PNG",
      "artifact:TURNTABLE_PNG",
      "artifact:TURNTABLE_PNG",
      "progress:meshing",
      "artifact:MESH_GLB",
      "artifact:POINT_CLOUD_PLY",
      "result",
    ]);
    const progress = events
      .filter((event) => event.progress?.phase === "optimising")
      .map((event) => event.progress);
    expect(progress.map((p) => p.step)).toEqual(Array.from({ length: 30 }, (_, index) => (index + 1) * 10));
    expect(progress.every((p) => p.total_steps === 300 && p.grid_resolution > 0)).toBe(true);
    // PSNR is measured (on held-out frame 8) at the preview steps only.
    expect(progress.filter((p) => !Number.isNaN(p.psnr)).map((p) => p.step)).toEqual([100, 200, 300]);
    expect(progress.at(-1).psnr).toBeGreaterThan(progress[9].psnr);
    for (const p of progress) {
      expect(p.loss).toBeGreaterThan(0);
      expect(p.samples_per_second).toBeGreaterThan(0);
      expect(p.rays_per_second).toBeGreaterThan(0);
    }
    expect(events.filter((event) => event.checkpoint).every((event) => event.checkpoint.step === 200)).toBe(
      true,
    );
    expect(events.filter((event) => event.checkpoint).at(-1).checkpoint.last).toBe(true);
  });

  it("names and numbers its artifacts and keeps every chunk within 1 MiB", async () => {
    expect(
      events.filter((event) => event.artifact).every((event) => event.artifact.data.length <= 1024 ** 2),
    ).toBe(true);
    const artifacts = artifactsOf(events);
    expect(
      artifacts.map(({ kind, number, fileName, contentType }) => [kind, number, fileName, contentType]),
    ).toEqual([
      ["PREVIEW_PNG", 100, "preview-000100.png", "image/png"],
      ["PREVIEW_PNG", 200, "preview-000200.png", "image/png"],
      ["PREVIEW_PNG", 300, "preview-000300.png", "image/png"],
      ["RENDER_PNG", 8, "render-8.png", "image/png"],
      ["RENDER_PNG", 9, "render-9.png", "image/png"],
      ["TURNTABLE_PNG", 0, "turntable-000.png", "image/png"],
      ["TURNTABLE_PNG", 1, "turntable-001.png", "image/png"],
      ["MESH_GLB", 0, "mesh.glb", "model/gltf-binary"],
      ["POINT_CLOUD_PLY", 0, "points.ply", "application/octet-stream"],
    ]);
    for (const png of artifacts.filter((artifact) => artifact.contentType === "image/png")) {
      const { width, height, channels } = await sharp(png.bytes).metadata();
      expect([width, height, channels]).toEqual([16, 16, 3]);
    }
  });

  it("writes a GLB the Khronos validator passes, and a binary PLY", async () => {
    const artifacts = artifactsOf(events);
    const glb = artifacts.find((artifact) => artifact.kind === "MESH_GLB")!.bytes;
    const report = await validateBytes(new Uint8Array(glb));
    expect(report.issues.messages.filter((message) => message.severity === 0)).toEqual([]);
    const ply = artifacts.find((artifact) => artifact.kind === "POINT_CLOUD_PLY")!.bytes;
    const header = ply.subarray(0, ply.indexOf("end_header\n") + "end_header\n".length).toString("latin1");
    const points = Number(/element vertex (\d+)/.exec(header)![1]);
    expect(header).toContain("format binary_little_endian 1.0");
    expect(ply.length).toBe(header.length + points * 15);
  });

  it("ends with the held-out views' metrics and the mesh's statistics", () => {
    const { result } = events.at(-1);
    expect(result.per_view.map((view: { frame: number }) => view.frame)).toEqual([8, 9]);
    const mean = (key: "psnr" | "ssim") =>
      result.per_view.reduce((sum: number, view: Record<string, number>) => sum + view[key]!, 0) / 2;
    expect(result.psnr).toBeCloseTo(mean("psnr"), 10);
    expect(result.ssim).toBeCloseTo(mean("ssim"), 10);
    expect(result).toMatchObject({ grid_resolution: 16, height_field: false });
    expect(result.seconds).toBeGreaterThan(0);
    expect(result.samples_per_second).toBeGreaterThan(0);
    expect(result.mesh.triangle_count).toBeGreaterThan(0);
    expect(result.mesh.bounds_min).toHaveLength(3);
  });

  it("resumes from its step-200 checkpoint and continues exactly as the run it came from", async () => {
    const checkpoint = checkpointAt(events, 200);
    const call = client.reconstruct(await radianceFieldMessages(scene, { checkpoint }));
    expect(await call.status).toEqual({ code: 0, details: "OK" });
    const steps = call.events
      .filter((event) => event.progress?.phase === "optimising")
      .map((event) => event.progress);
    expect(steps.map((p) => p.step)).toEqual(Array.from({ length: 10 }, (_, index) => 210 + index * 10));
    const original = events.filter(
      (event) => event.progress?.phase === "optimising" && event.progress.step > 200,
    );
    expect(steps.map((p) => [p.loss, p.psnr])).toEqual(
      original.map((event) => [event.progress.loss, event.progress.psnr]),
    );
    expect(call.events.at(-1).result.mesh).toEqual(events.at(-1).result.mesh);
  });

  it("refuses a checkpoint of another run with INVALID_ARGUMENT and no event", async () => {
    const checkpoint = checkpointAt(events, 200);
    const call = client.reconstruct(
      await radianceFieldMessages(scene, { checkpoint, settings: { seed: 4 } }),
    );
    const status = await call.status;
    expect(status.code).toBe(3);
    expect(status.details).toMatch(/^The checkpoint cannot be restored for this run: /);
    expect(call.events).toEqual([]);
  });
});
