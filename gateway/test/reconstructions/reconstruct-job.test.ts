import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/gateway";
import {
  artifactEvents,
  sleep,
  startFakeReconstructionTier,
  type FakeReconstructionTier,
} from "./fake-reconstruction-tier";
import { GLB, png, progress, sha256, succeed } from "./fake-tier-runs";
import {
  CANCEL_RECONSTRUCTION,
  followJobEvents,
  followReconstruction,
  insertSyntheticScene,
  isFinished,
  reconstructionOf,
  startReconstruction,
  userId,
  waitForReconstruction,
} from "./reconstruction-support";

/**
 * The reconstruct-3d job end to end against a scripted ReconstructionService: what the gateway
 * streams to the tier, what it stores of what comes back, what subscribers see, and how a run
 * that fails, is cancelled or loses its tier ends. (real-tier.test.ts runs the real one.)
 */

describe("reconstruct-3d against a scripted tier", () => {
  let tier: FakeReconstructionTier;
  let gateway: TestGateway;
  let ada: string;
  let bob: string;
  let sceneId: string;

  const start = async (settings: Record<string, unknown> = {}) => {
    const body = await startReconstruction(
      gateway,
      { method: "RADIANCE_FIELD", sceneId, settings: { gridResolution: 16, steps: 4, ...settings } },
      ada,
    );
    expect(body.errors).toBeUndefined();
    return body.data!.startReconstruction.id;
  };

  beforeAll(async () => {
    tier = await startFakeReconstructionTier(succeed);
    gateway = await startTestGateway({ env: { INFERENCE_URL: tier.url, TESSERA_JOB_CANCEL_POLL_MS: "100" } });
    ada = await gateway.createMember("ada");
    bob = await gateway.createMember("bob");
    sceneId = (await insertSyntheticScene(gateway, await userId(gateway, "ada"))).id;
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    await tier?.stop();
  });

  it("streams the scene, stores every artifact and the metrics, and subscribers see steps and previews in order", async () => {
    tier.script = succeed;
    const id = await start();
    const follower = followReconstruction(gateway, id, ada);
    const done = await waitForReconstruction(gateway, id, ada, isFinished);
    await follower.ended;
    expect(done.error).toBeNull();
    expect(done.status).toBe("SUCCEEDED");

    // What the tier was sent: cameras and roles (TEST frames held out), settings, every frame's PNG.
    const run = tier.runs.at(-1)!;
    expect(run.start.method).toBe("RADIANCE_FIELD");
    expect(run.start.frames.map((frame) => frame.role)).toEqual([
      ...Array(12).fill("TRAIN"),
      "HELD_OUT",
      "HELD_OUT",
    ]);
    expect(run.start.settings).toMatchObject({
      grid_resolution: 16,
      steps: 4,
      background: [1, 1, 1],
      preview_every: 1,
    });
    expect(run.start.threads).toBe(2);
    expect(run.start.checkpoint_bytes).toBe(0);
    const frames = await gateway.prisma.sceneFrame.findMany({
      where: { sceneId },
      orderBy: { index: "asc" },
    });
    expect(run.frames.map((frame) => sha256(frame.data))).toEqual(frames.map((frame) => frame.sha256));

    // What was stored and how it is served.
    expect(done.metrics).toMatchObject({ psnr: 21.5, ssim: 0.8, seconds: 1.25, samplesPerSecond: 5_000 });
    expect(done.metrics!.perView).toEqual([
      { frame: 12, psnr: 21.5, ssim: 0.8 },
      { frame: 13, psnr: 21.5, ssim: 0.8 },
    ]);
    expect(done.mesh).toEqual({
      vertexCount: 10,
      triangleCount: 16,
      bounds: { min: [-0.5, -0.5, -0.5], max: [0.5, 0.5, 0.5] },
    });
    expect(done.artifacts.map((a) => `${a.kind}:${a.frame ?? a.step}`).sort()).toEqual(
      [
        "MESH_GLB:null",
        "POINT_CLOUD_PLY:null",
        "PREVIEW_PNG:2",
        "RENDER_PNG:12",
        "RENDER_PNG:13",
        "TURNTABLE_PNG:0",
        "TURNTABLE_PNG:1",
      ].sort(),
    );
    const mesh = done.artifacts.find((a) => a.kind === "MESH_GLB")!;
    expect(mesh).toMatchObject({
      contentType: "model/gltf-binary",
      sizeBytes: GLB.length,
      sha256: sha256(GLB),
    });
    const whole = await fetch(mesh.url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("model/gltf-binary");
    const bytes = Buffer.from(await whole.arrayBuffer());
    expect(bytes.subarray(0, 4).toString("latin1")).toBe("glTF");
    expect(bytes.equals(GLB)).toBe(true);
    const part = await fetch(mesh.url, { headers: { range: "bytes=0-3" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 0-3/${GLB.length}`);
    expect(Buffer.from(await part.arrayBuffer()).toString("latin1")).toBe("glTF");
    const ply = await fetch(done.artifacts.find((a) => a.kind === "POINT_CLOUD_PLY")!.url);
    expect(ply.headers.get("content-type")).toBe("application/ply");
    const preview = await fetch(done.previewUrl!);
    expect(preview.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await preview.arrayBuffer()).equals(png(2))).toBe(true);

    // The checkpoint is kept (a resumed run would send it) with its step.
    const row = await gateway.prisma.reconstruction.findUniqueOrThrow({ where: { id } });
    expect(row.checkpointStep).toBe(2);
    expect(row.checkpointSha256).toBe(sha256(Buffer.from("state-at-2")));

    // The subscription: current state, steps, the preview (a URL), then SUCCEEDED, in log order.
    expect(follower.errors).toEqual([]);
    const seen = follower.events.map((event) =>
      event.__typename === "ReconstructionStepEvent"
        ? `step ${event.step}`
        : event.__typename === "ReconstructionPreviewEvent"
          ? `preview ${event.step}`
          : `state ${event.status}`,
    );
    expect(seen.at(-1)).toBe("state SUCCEEDED");
    const steps = seen.filter((line) => line.startsWith("step"));
    expect(steps).toContain("step 2");
    expect(steps).toContain("step 4");
    expect(seen.indexOf("preview 2")).toBeGreaterThan(seen.indexOf("step 2"));
    const seqs = follower.events.map((event) => event.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    const previewEvent = follower.events.find((event) => event.__typename === "ReconstructionPreviewEvent")!;
    expect(previewEvent.artifactId).toBe(done.artifacts.find((a) => a.kind === "PREVIEW_PNG")!.id);
    expect((await fetch(previewEvent.url as string)).status).toBe(200);
    const psnrStep = follower.events.find(
      (event) => event.step === 2 && event.__typename === "ReconstructionStepEvent",
    )!;
    expect(psnrStep).toMatchObject({ totalSteps: 4, psnr: 12, resolution: 16, phase: "optimising" });

    // The curve stays readable after the run: `steps` holds every step event the subscriber saw.
    const history = await gateway.gql<{
      reconstruction: { steps: Array<{ step: number; psnr: number | null; seq: number }> };
    }>("query ($id: ID!) { reconstruction(id: $id) { steps { step psnr seq } } }", { id }, ada);
    const stored = history.data!.reconstruction.steps;
    expect(stored.map((event) => event.step).slice(-1)).toEqual([4]);
    expect(stored.find((event) => event.step === 2)?.psnr).toBe(12);
    expect(stored.map((event) => event.seq)).toEqual(
      [...stored.map((event) => event.seq)].sort((a, b) => a - b),
    );
    // Every step event the subscriber saw is in it.
    const streamedSeqs = follower.events
      .filter((event) => event.__typename === "ReconstructionStepEvent")
      .map((event) => event.seq);
    expect(stored.map((event) => event.seq)).toEqual(expect.arrayContaining(streamedSeqs));

    // Another user finds nothing of it.
    expect(await reconstructionOf(gateway, id, bob)).toBeNull();
    const cancel = await gateway.gql(CANCEL_RECONSTRUCTION, { id }, bob);
    expect(cancel.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const asBob = await fetch(`${gateway.url}/files/reconstruction-artifacts/${mesh.id}`, {
      headers: { authorization: `Bearer ${bob}` },
    });
    expect(asBob.status).toBe(404);
  });

  it("fails with the tier's own message when it refuses the run, and keeps no blob of the run but its preview", async () => {
    const brokenGlb = Buffer.concat([GLB, Buffer.from("never stored")]);
    tier.script = async (_run, call) => {
      call.send(progress(1, 4, 9));
      for (const event of artifactEvents("PREVIEW_PNG", 1, png(41))) call.send(event);
      for (const event of artifactEvents("MESH_GLB", 0, brokenGlb)) call.send(event);
      await sleep(100);
      call.fail(
        grpc.status.INVALID_ARGUMENT,
        "frame 3's camera is not rigid (rotation not orthonormal within 1e-3)",
      );
    };
    const id = await start();
    const done = await waitForReconstruction(gateway, id, ada, isFinished);
    expect(done.status).toBe("FAILED");
    expect(done.error).toEqual({
      code: "BAD_USER_INPUT",
      message: "frame 3's camera is not rigid (rotation not orthonormal within 1e-3)",
    });
    expect(done.job.attempts).toBe(1);
    expect(done.artifacts.map((artifact) => artifact.kind)).toEqual(["PREVIEW_PNG"]);
    const files = await gateway.blobFiles();
    expect(files).toContain(sha256(png(41)));
    expect(files).not.toContain(sha256(brokenGlb));
  });

  it("fails a run at once when the tier refuses its start as RESOURCE_EXHAUSTED mid-upload (no retry can pass it)", async () => {
    const large = await insertSyntheticScene(gateway, await userId(gateway, "ada"), {
      width: 128,
      height: 128,
    });
    tier.refuseStart = { code: grpc.status.RESOURCE_EXHAUSTED, details: "over the tier's memory limit" };
    try {
      tier.script = succeed;
      const runsBefore = tier.runs.length;
      const body = await startReconstruction(
        gateway,
        { method: "RADIANCE_FIELD", sceneId: large.id, settings: { gridResolution: 16, steps: 4 } },
        ada,
      );
      const done = await waitForReconstruction(gateway, body.data!.startReconstruction.id, ada, isFinished);
      expect(done.status).toBe("FAILED");
      expect(done.error).toEqual({ code: "RESOURCE_EXHAUSTED", message: "over the tier's memory limit" });
      const job = await gateway.prisma.job.findUniqueOrThrow({ where: { id: done.id } });
      expect(job.attempts).toBe(1);
      expect(tier.runs.length - runsBefore).toBeLessThanOrEqual(1);
    } finally {
      tier.refuseStart = null;
    }
  });

  it("cancels a running reconstruction within a second: the tier's call is cancelled", async () => {
    tier.script = async (run, call) => {
      for (let step = 1; step <= 10_000 && !run.isCancelled(); step++) {
        call.send(progress(step, 10_000));
        await sleep(50);
      }
    };
    const id = await start({ steps: 10_000 });
    // The platform's jobEvents shows the kind's own events too.
    const jobEvents = followJobEvents(gateway, id, ada);
    const deadline = Date.now() + 20_000;
    while (!jobEvents.events.some((event) => event.__typename === "ReconstructionStepEvent")) {
      if (Date.now() > deadline)
        throw new Error(`no step event arrived: ${JSON.stringify(jobEvents.events)}`);
      await sleep(50);
    }
    expect(jobEvents.events[0]!.__typename).toBe("JobSnapshotEvent");
    const cancelled = await gateway.gql<{ cancelReconstruction: { id: string } }>(
      CANCEL_RECONSTRUCTION,
      { id },
      ada,
    );
    expect(cancelled.errors).toBeUndefined();
    const askedAt = Date.now();
    await tier.runs.at(-1)!.cancelled;
    expect(Date.now() - askedAt).toBeLessThan(1_000);
    const done = await waitForReconstruction(gateway, id, ada, isFinished);
    expect(done.status).toBe("CANCELLED");
    expect(done.artifacts).toEqual([]);
    await jobEvents.ended;
    expect(jobEvents.events.at(-1)).toMatchObject({ __typename: "JobStateEvent", status: "CANCELLED" });
  });

  it("retries a run whose tier went away, resuming from the checkpoint it stored", async () => {
    tier.script = async (run, call) => {
      if (run.checkpoint.length === 0) {
        call.send(progress(1, 4));
        call.send({ checkpoint: { step: 1, data: Buffer.from("state-at-1"), last: true } });
        await sleep(200);
        call.fail(grpc.status.UNAVAILABLE, "the tier is restarting");
        return;
      }
      await succeed(run, call);
    };
    const id = await start();
    const done = await waitForReconstruction(gateway, id, ada, isFinished, 40_000);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.job.attempts).toBe(2);
    const resumed = tier.runs.at(-1)!;
    expect(resumed.start.checkpoint_bytes).toBe("state-at-1".length);
    expect(resumed.checkpoint.toString()).toBe("state-at-1");
    // The first checkpoint was replaced by the second and its blob released.
    const files = await gateway.blobFiles();
    expect(files).not.toContain(sha256(Buffer.from("state-at-1")));
    expect(files).toContain(sha256(Buffer.from("state-at-2")));
  }, 60_000);
});
