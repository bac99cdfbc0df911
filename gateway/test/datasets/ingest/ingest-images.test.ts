import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config";
import { AppError, ErrorCode } from "../../../src/errors";
import { openSafeZip, type SafeZip } from "../../../src/archives/safe-zip";
import { LocalBlobStore } from "../../../src/storage/local-blob-store";
import { ImageAnalysisPool, type ImageAnalyser } from "../../../src/datasets/images/analysis-pool";
import { analyzeImage } from "../../../src/datasets/images/analyze-image";
import { planArchiveLayout } from "../../../src/datasets/ingest/archive-layout";
import { ingestImages, type IngestImageOptions } from "../../../src/datasets/ingest/ingest-images";
import {
  allBadFileKinds,
  generateTextureDataset,
  zipDatasetFiles,
  type DatasetFile,
} from "../../support/texture-dataset";

const crashingEntry = new URL("../images/crashing-analysis-worker.ts", import.meta.url);
/** analyzeImage on this thread, as the gateway analysed before it had a pool. */
const onThisThread: ImageAnalyser = {
  analyze: async (bytes, limits) => ({ result: await analyzeImage(bytes, limits), bytes }),
};

let dir: string;
let files: DatasetFile[];
const pools: ImageAnalysisPool[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "tessera-ingest-images-"));
  const dataset = await generateTextureDataset({
    classes: 3,
    imagesPerClass: 4,
    seed: 12,
    inject: allBadFileKinds,
  });
  files = dataset.files;
});
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.close()));
  await rm(dir, { recursive: true, force: true });
});

function pool(options: ConstructorParameters<typeof ImageAnalysisPool>[0]): ImageAnalysisPool {
  const created = new ImageAnalysisPool(options);
  pools.push(created);
  return created;
}

/** A fresh store and the archive of `archiveFiles`, opened; `run` gets both and the `stored` list. */
async function withArchive<T>(
  name: string,
  archiveFiles: readonly DatasetFile[],
  run: (zip: SafeZip, store: LocalBlobStore, stored: string[]) => Promise<T>,
): Promise<T> {
  const zipPath = path.join(dir, `${name}.zip`);
  await writeFile(zipPath, await zipDatasetFiles(archiveFiles));
  const zip = await openSafeZip(zipPath, loadConfig({}).limits.archive);
  try {
    return await run(zip, new LocalBlobStore(path.join(dir, name)), []);
  } finally {
    zip.close();
  }
}

function options(extra: Partial<IngestImageOptions>): IngestImageOptions {
  return { maxPixels: 50_000_000, maxImageBytes: 10 * 1024 ** 2, concurrency: 4, ...extra };
}

describe("ingestImages on the analysis pool", () => {
  it("accepts, skips and stores exactly what analysing on the event loop did", async () => {
    const ingest = (name: string, analysis: ImageAnalyser) =>
      withArchive(name, files, async (zip, store, stored) => {
        const layout = planArchiveLayout(zip.entries);
        // One image at a time: images failing at once may take each other's libvips wording.
        const ingested = await ingestImages(
          zip,
          layout.files,
          store,
          stored,
          options({ analysis, concurrency: 1 }),
        );
        return { ingested, stored: [...stored].sort() };
      });
    const pooled = await ingest("pooled", pool({ workers: 2 }));
    const direct = await ingest("direct", onThisThread);
    expect(pooled).toStrictEqual(direct);
    expect(pooled.ingested.accepted.length).toBeGreaterThan(10);
    expect(pooled.ingested.skipped.map((skip) => skip.path)).toEqual([
      "red-stripes/not-an-image.jpg",
      "red-stripes/truncated.jpg",
      "red-stripes/empty.png",
      "red-stripes/huge.png",
    ]);
  });

  it("fails with the abort's reason when aborted, leaving no image on the pool and every blob it stored listed", async () => {
    const analysis = pool({ workers: 1 });
    const controller = new AbortController();
    const reason = new Error("the client went away");
    const { error, stored, store } = await withArchive("aborted", files, async (zip, store, stored) => {
      const layout = planArchiveLayout(zip.entries);
      const error = await ingestImages(
        zip,
        layout.files,
        store,
        stored,
        options({
          analysis,
          signal: controller.signal,
          onProgress: ({ processed }) => {
            if (processed === 3) controller.abort(reason);
          },
        }),
      ).then(
        () => null,
        (failure: unknown) => failure,
      );
      return { error, stored, store };
    });
    expect(error).toBe(reason);
    expect(analysis.load).toMatchObject({ running: 0, queued: 0 });
    expect(stored.length).toBeGreaterThanOrEqual(1);
    for (const sha256 of stored) expect(await store.has(sha256)).toBe(true);
    expect(await readdir(path.join(dir, "aborted", "tmp"))).toEqual([]);
  });

  it("fails with INTERNAL_SERVER_ERROR naming the file when its analysis thread dies", async () => {
    // One image per thread at a time: the one on the thread when it dies is the crashing one.
    const analysis = pool({ workers: 1, imagesPerWorker: 1, entry: crashingEntry });
    const crash = { path: "red-stripes/crash.jpg", bytes: Buffer.from("CRASH: this thread ends here") };
    const archive = [...files.slice(0, 6), crash, ...files.slice(6, 12)];
    const error = await withArchive("crashed", archive, async (zip, store, stored) =>
      ingestImages(zip, planArchiveLayout(zip.entries).files, store, stored, options({ analysis })).then(
        () => null,
        (failure: unknown) => failure,
      ),
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: ErrorCode.INTERNAL_SERVER_ERROR,
      message:
        'The image analysis thread stopped unexpectedly (exit code 1: simulated crash) while checking "red-stripes/crash.jpg"; ' +
        "nothing of this upload was saved, try it again",
    });
    expect(analysis.load).toMatchObject({ running: 0, queued: 0 });
  });
});
