import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalBlobStore } from "../../src/storage/local-blob-store";
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
  storedCounts,
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

  /** Polls `check` until it holds (a blob released after the commit, a file stored mid-run). */
  const eventually = async (check: () => Promise<boolean>, what: string) => {
    const deadline = Date.now() + 10_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`still not: ${what}`);
      await sleep(50);
    }
  };

  /** A TEXT_TO_3D model of `ownerId`'s (public) whose version's metadata names `kserveModel`. */
  const insertTextTo3d = async (ownerId: string, slug: string, kserveModel: string) => {
    const model = await gateway.prisma.model.create({
      data: {
        ownerId,
        slug,
        name: slug,
        framework: "ONNX",
        modelType: "TEXT_TO_3D",
        isPublic: true,
        versions: {
          create: {
            version: "v1",
            ordinal: 1,
            createdById: ownerId,
            sizeBytes: 0n,
            customMetadata: { kserveModel: { name: kserveModel } },
          },
        },
      },
      include: { versions: true },
    });
    return model.versions[0]!.id;
  };

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
    // Retries after 100 ms instead of the kind's 10 s: the retry tests prove order, not timing.
    gateway = await startTestGateway({
      env: {
        INFERENCE_URL: tier.url,
        TESSERA_JOB_CANCEL_POLL_MS: "100",
        TESSERA_JOB_RETRY_DELAY_FACTOR: "0.01",
      },
    });
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

    // A finished run is never resumed: its checkpoint is cleared and its blob released.
    const row = await gateway.prisma.reconstruction.findUniqueOrThrow({ where: { id } });
    expect(row.checkpointStep).toBeNull();
    expect(row.checkpointSha256).toBeNull();
    await eventually(
      async () => !(await gateway.blobFiles()).includes(sha256(Buffer.from("state-at-2"))),
      "the checkpoint's blob released",
    );

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
    // `last` returns the latest steps only, in order, and is bounded.
    const lastTwo = await gateway.gql<{ reconstruction: { steps: Array<{ step: number }> } }>(
      "query ($id: ID!) { reconstruction(id: $id) { steps(last: 2) { step } } }",
      { id },
      ada,
    );
    expect(lastTwo.data!.reconstruction.steps.map((event) => event.step)).toEqual(
      stored.slice(-2).map((event) => event.step),
    );
    expect(stored.length).toBeGreaterThan(2);
    for (const last of [0, 10_001]) {
      const refused = await gateway.gql(
        "query ($id: ID!, $last: Int!) { reconstruction(id: $id) { steps(last: $last) { step } } }",
        { id, last },
        ada,
      );
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "last" });
    }
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
    let glbStored = false;
    tier.script = async (_run, call) => {
      call.send(progress(1, 4, 9));
      for (const event of artifactEvents("PREVIEW_PNG", 1, png(41))) call.send(event);
      call.send({ checkpoint: { step: 1, data: Buffer.from("refused-at-1"), last: true } });
      for (const event of artifactEvents("MESH_GLB", 0, brokenGlb)) call.send(event);
      // The GLB's blob is stored before the run fails, so its absence below is its release.
      await eventually(
        async () => (await gateway.blobFiles()).includes(sha256(brokenGlb)),
        "the GLB stored mid-run",
      );
      glbStored = true;
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
    expect(glbStored).toBe(true);
    expect(done.artifacts.map((artifact) => artifact.kind)).toEqual(["PREVIEW_PNG"]);
    // A failed run is never resumed: its checkpoint columns are cleared (the orphan sweep takes the blob).
    const row = await gateway.prisma.reconstruction.findUniqueOrThrow({ where: { id } });
    expect(row.checkpointSha256).toBeNull();
    expect(row.checkpointStep).toBeNull();
    const files = await gateway.blobFiles();
    expect(files).toContain(sha256(png(41)));
    expect(files).not.toContain(sha256(brokenGlb));
  });

  it("fails a radiance field at once when the tier refuses its start as RESOURCE_EXHAUSTED (its memory estimate: no retry can pass it)", async () => {
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

  it("retries a run whose tier went away, resuming from the checkpoint it stored without the failed attempt's later previews and steps", async () => {
    tier.script = async (run, call) => {
      if (run.checkpoint.length === 0) {
        call.send(progress(1, 4));
        call.send({ checkpoint: { step: 1, data: Buffer.from("state-at-1"), last: true } });
        call.send(progress(2, 4, 99));
        for (const event of artifactEvents("PREVIEW_PNG", 2, png(77))) call.send(event);
        await eventually(
          async () => (await gateway.blobFiles()).includes(sha256(png(77))),
          "the first attempt's preview stored",
        );
        call.fail(grpc.status.UNAVAILABLE, "connect ECONNREFUSED 10.20.30.40:8001");
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
    // The tier's error was shown while the run waited for its retry, without the tier's address.
    const waiting = await gateway.prisma.jobEvent.findMany({ where: { jobId: id, type: "state" } });
    const retried = waiting.map((event) => event.payload as { status: string; error?: { message: string } });
    expect(retried.find((payload) => payload.status === "QUEUED" && payload.error)?.error?.message).toBe(
      "Attempt 1 failed, will retry: The inference tier is unavailable; the run will be retried",
    );
    // The failed attempt's preview after the checkpoint is gone; the resumed run's own stays.
    const previews = done.artifacts.filter((artifact) => artifact.kind === "PREVIEW_PNG");
    expect(previews.map((artifact) => [artifact.step, artifact.sha256])).toEqual([[2, sha256(png(2))]]);
    // One event per step, in step order, the resumed run's (step 2's PSNR is 12, not the first attempt's 99).
    const history = await gateway.gql<{
      reconstruction: { steps: Array<{ step: number; psnr: number | null }> };
    }>("query ($id: ID!) { reconstruction(id: $id) { steps { step psnr } } }", { id }, ada);
    const steps = history.data!.reconstruction.steps;
    expect(steps.map((event) => event.step)).toEqual([...new Set(steps.map((event) => event.step))].sort());
    expect(steps.find((event) => event.step === 2)?.psnr).toBe(12);
    // Both checkpoints' blobs and the dropped preview's are released.
    await eventually(async () => {
      const files = await gateway.blobFiles();
      return [Buffer.from("state-at-1"), Buffer.from("state-at-2"), png(77)].every(
        (data) => !files.includes(sha256(data)),
      );
    }, "the checkpoints' and the dropped preview's blobs released");
  }, 60_000);

  it("fails a run whose scene's photos were deleted mid-run, saying so", async () => {
    const scene = await insertSyntheticScene(gateway, await userId(gateway, "ada"), {
      width: 20,
      height: 20,
    });
    const frames = await gateway.prisma.sceneFrame.findMany({
      where: { sceneId: scene.id },
      orderBy: { index: "asc" },
    });
    await new LocalBlobStore(path.join(gateway.dataDir, "blobs")).delete(frames.at(-1)!.sha256);
    tier.script = succeed;
    const body = await startReconstruction(
      gateway,
      { method: "RADIANCE_FIELD", sceneId: scene.id, settings: { gridResolution: 16, steps: 4 } },
      ada,
    );
    expect(body.errors).toBeUndefined();
    const done = await waitForReconstruction(gateway, body.data!.startReconstruction.id, ada, isFinished);
    expect(done.status).toBe("FAILED");
    expect(done.error).toEqual({ code: "FAILED", message: "The scene's photos were deleted" });
    expect(done.job.attempts).toBe(1);
  });

  it("runs an admin's model that names a Triton model as triton_only, retrying when the tier's queue is full; ignores anyone else's", async () => {
    const adaId = await userId(gateway, "ada");
    const bobId = await userId(gateway, "bob");
    const admin = await gateway.prisma.user.findFirstOrThrow({ where: { role: "ADMIN" } });
    // Bob's version names ada's private deployment: the metadata is ignored, so it needs its own.
    await gateway.prisma.model.create({
      data: {
        ownerId: adaId,
        slug: "private-chair",
        name: "private-chair",
        framework: "ONNX",
        modelType: "TEXT_TO_3D",
      },
    });
    const bobs = await insertTextTo3d(bobId, "borrowed-chair", "ada.private-chair");
    const before = await storedCounts(gateway);
    const refused = await startReconstruction(
      gateway,
      { method: "TEXT_TO_3D", prompt: "a chair", modelVersionId: bobs },
      bob,
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: "FAILED_PRECONDITION",
      field: "modelVersionId",
    });
    expect(refused.errors?.[0]?.message).toMatch(/not deployed/);
    expect(await storedCounts(gateway)).toEqual(before);

    // An admin's: queued; the tier's batcher answering "queue full" is retried, not final.
    const admins = await insertTextTo3d(admin.id, "shap-e", "shap-e");
    const runsBefore = tier.runs.length;
    tier.script = async (run, call) => {
      if (tier.runs.length - runsBefore === 1) {
        call.fail(grpc.status.RESOURCE_EXHAUSTED, "The tier's queue is full; try again later");
        return;
      }
      call.send({
        result: { psnr: Number.NaN, ssim: Number.NaN, per_view: [], seconds: 0.5, height_field: false },
      });
      call.end();
    };
    const body = await startReconstruction(
      gateway,
      { method: "TEXT_TO_3D", prompt: "a chair", modelVersionId: admins },
      gateway.adminToken,
    );
    expect(body.errors).toBeUndefined();
    const done = await waitForReconstruction(
      gateway,
      body.data!.startReconstruction.id,
      gateway.adminToken,
      isFinished,
      40_000,
    );
    expect(done.status).toBe("SUCCEEDED");
    expect(done.job.attempts).toBe(2);
    const starts = tier.runs.slice(runsBefore).map((run) => run.start.model);
    expect(starts).toEqual([
      { name: "shap-e", version: "", triton_only: true },
      { name: "shap-e", version: "", triton_only: true },
    ]);
  }, 60_000);
});
