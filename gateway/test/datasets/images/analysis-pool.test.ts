import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError, ErrorCode } from "../../../src/errors";
import { ImageAnalysisPool } from "../../../src/datasets/images/analysis-pool";
import { analyzeImage } from "../../../src/datasets/images/analyze-image";
import { defaultIngestWorkers } from "../../../src/datasets/images/ingest-workers";
import {
  holdSharedImageAnalysis,
  sharedImageAnalysis,
} from "../../../src/datasets/images/shared-analysis-pool";
import { allBadFileKinds, generateTextureDataset } from "../../support/texture-dataset";

const limits = { maxPixels: 50_000_000 };
const crashingEntry = new URL("./crashing-analysis-worker.ts", import.meta.url);

let files: Array<{ name: string; bytes: Buffer }>;
let image: Buffer;
const pools: ImageAnalysisPool[] = [];

function pool(options: ConstructorParameters<typeof ImageAnalysisPool>[0]): ImageAnalysisPool {
  const created = new ImageAnalysisPool(options);
  pools.push(created);
  return created;
}

beforeAll(async () => {
  const dataset = await generateTextureDataset({
    classes: 3,
    imagesPerClass: 3,
    seed: 8,
    minSide: 24,
    maxSide: 300,
    inject: allBadFileKinds,
  });
  const rgb = (width: number, height: number) =>
    sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } });
  files = [
    ...dataset.files.map((file) => ({ name: file.path, bytes: file.bytes })),
    { name: "TIFF", bytes: await rgb(20, 20).tiff().toBuffer() },
    { name: "rotated JPEG", bytes: await rgb(40, 30).jpeg().withMetadata({ orientation: 6 }).toBuffer() },
    { name: "WebP", bytes: await rgb(64, 48).webp().toBuffer() },
    { name: "600×400 PNG", bytes: await rgb(600, 400).png().toBuffer() },
  ];
  image = dataset.files[0]!.bytes;
});
afterAll(() => Promise.all(pools.map((created) => created.close())));

describe("ImageAnalysisPool", () => {
  it("answers exactly what analyzeImage answers on the caller's thread, rejections included", async () => {
    const analyses = pool({ workers: 1 });
    const reasons = new Set<string>();
    // One at a time on both sides: libvips keeps one error buffer per process, and images failing
    // at once may take each other's wording (see analyze-image.ts).
    for (const { name, bytes } of files) {
      const sent = Buffer.from(bytes);
      const pooled = await analyses.analyze(sent, limits);
      const direct = await analyzeImage(bytes, limits);
      expect(pooled.result, name).toStrictEqual(direct);
      expect(pooled.bytes.equals(bytes), name).toBe(true);
      if (!direct.ok) reasons.add(direct.rejection.reason);
    }
    expect([...reasons].sort()).toEqual([
      "corrupt",
      "empty-file",
      "not-an-image",
      "too-many-pixels",
      "unsupported-format",
    ]);
  });

  it("moves the bytes to its thread and back, and copies small ones that share Node's buffer pool", async () => {
    const analyses = pool({ workers: 1 });
    const sent = Buffer.from(image);
    // Too large for Node's buffer pool: the Buffer has an ArrayBuffer of its own, which can move.
    expect(sent.buffer.byteLength).toBe(sent.length);
    const { bytes } = await analyses.analyze(sent, limits);
    expect(sent.length).toBe(0);
    expect(bytes.equals(image)).toBe(true);

    const tiny = await sharp({ create: { width: 1, height: 1, channels: 3, background: "red" } })
      .png()
      .toBuffer();
    const small = Buffer.from(tiny);
    const neighbour = Buffer.from("a neighbour in the same pooled ArrayBuffer");
    expect(small.buffer).toBe(neighbour.buffer);
    const answer = await analyses.analyze(small, limits);
    expect(answer.result.ok).toBe(true);
    expect(small.equals(tiny)).toBe(true);
    expect(neighbour.toString()).toBe("a neighbour in the same pooled ArrayBuffer");
  });

  it("drops the queued images of an aborted caller and finishes the one on its thread", async () => {
    const analyses = pool({ workers: 1, imagesPerWorker: 1 });
    const controller = new AbortController();
    const runs = Array.from({ length: 5 }, () =>
      analyses.analyze(Buffer.from(image), limits, controller.signal),
    );
    expect(analyses.load).toEqual({ workers: 1, running: 1, queued: 4 });
    controller.abort(new Error("the upload was cancelled"));
    expect(analyses.load).toEqual({ workers: 1, running: 1, queued: 0 });
    const settled = await Promise.allSettled(runs);
    expect(settled.map((run) => run.status)).toEqual([
      "fulfilled",
      "rejected",
      "rejected",
      "rejected",
      "rejected",
    ]);
    for (const run of settled.slice(1)) {
      expect((run as PromiseRejectedResult).reason).toBe(controller.signal.reason);
    }
    expect(analyses.load).toEqual({ workers: 1, running: 0, queued: 0 });
    await expect(analyses.analyze(Buffer.from(image), limits, controller.signal)).rejects.toBe(
      controller.signal.reason,
    );
    expect((await analyses.analyze(Buffer.from(image), limits)).result.ok).toBe(true);
  });

  it("fails the image on a thread that dies with INTERNAL_SERVER_ERROR and replaces the thread", async () => {
    const analyses = pool({ workers: 1, imagesPerWorker: 1, entry: crashingEntry });
    expect((await analyses.analyze(Buffer.from(image), limits)).result.ok).toBe(true);
    const crash = analyses.analyze(Buffer.from("CRASH, then some bytes"), limits);
    const queued = analyses.analyze(Buffer.from(image), limits);
    expect(analyses.load).toEqual({ workers: 1, running: 1, queued: 1 });
    const error = await crash.then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: ErrorCode.INTERNAL_SERVER_ERROR,
      message: "The image analysis thread stopped unexpectedly (exit code 1: simulated crash)",
    });
    // The image queued behind it runs on the thread that replaced the dead one.
    expect((await queued).result).toStrictEqual(await analyzeImage(image, limits));
    expect(analyses.load).toEqual({ workers: 1, running: 0, queued: 0 });
  });

  it("fails what is left with SERVICE_UNAVAILABLE when closed, and refuses new images", async () => {
    const analyses = pool({ workers: 1, imagesPerWorker: 1 });
    const settled = Promise.allSettled([
      analyses.analyze(Buffer.from(image), limits),
      analyses.analyze(Buffer.from(image), limits),
    ]);
    await analyses.close();
    for (const run of await settled) {
      expect(run.status).toBe("rejected");
      expect((run as PromiseRejectedResult).reason).toMatchObject({ code: ErrorCode.SERVICE_UNAVAILABLE });
    }
    await expect(analyses.analyze(Buffer.from(image), limits)).rejects.toMatchObject({
      code: ErrorCode.SERVICE_UNAVAILABLE,
    });
    expect(analyses.load).toEqual({ workers: 0, running: 0, queued: 0 });
  });

  it("refuses a size below 1", () => {
    expect(() => new ImageAnalysisPool({ workers: 0 })).toThrow(RangeError);
    expect(() => new ImageAnalysisPool({ workers: 1, imagesPerWorker: 0 })).toThrow(RangeError);
  });
});

describe("the shared pool", () => {
  it("takes its size from its first holder and closes when the last holder stops", async () => {
    const first = holdSharedImageAnalysis(2);
    const second = holdSharedImageAnalysis(3);
    const shared = sharedImageAnalysis();
    expect(shared.size).toBe(2);
    await first();
    await first();
    expect(sharedImageAnalysis()).toBe(shared);
    expect((await shared.analyze(Buffer.from(image), limits)).result.ok).toBe(true);
    await second();
    await expect(shared.analyze(Buffer.from(image), limits)).rejects.toMatchObject({
      code: ErrorCode.SERVICE_UNAVAILABLE,
    });
    expect(sharedImageAnalysis()).not.toBe(shared);
  });

  it("defaults to the cores less one, 1 to 4 threads", () => {
    expect([1, 2, 3, 4, 8, 64].map((cores) => defaultIngestWorkers(cores))).toEqual([1, 1, 2, 3, 4, 4]);
  });
});
