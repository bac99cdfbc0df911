import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorCode } from "../../../src/errors";
import { ImageAnalysisPool } from "../../../src/datasets/images/analysis-pool";
import { withClassFolderArchive } from "../../../src/datasets/ingest/class-folder-archive";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import { generateTextureDataset, zipDatasetFiles } from "../../support/texture-dataset";
import { storedState } from "../uploads/dataset-uploads";

const crashingEntry = new URL("../images/crashing-analysis-worker.ts", import.meta.url);

let gateway: TestGateway;
let analysis: ImageAnalysisPool;
let archive: Buffer;

beforeAll(async () => {
  const dataset = await generateTextureDataset({ classes: 2, imagesPerClass: 6, seed: 31 });
  const crash = { path: dataset.classNames[0] + "/crash.jpg", bytes: Buffer.from("CRASH: the thread ends") };
  [gateway, archive] = await Promise.all([
    startTestGateway(),
    zipDatasetFiles([...dataset.files.slice(0, 8), crash, ...dataset.files.slice(8)]),
  ]);
  analysis = new ImageAnalysisPool({ workers: 1, imagesPerWorker: 1, entry: crashingEntry });
});
afterAll(async () => {
  await analysis?.close();
  await gateway?.stop();
});

describe("a ZIP upload whose analysis thread dies", () => {
  it("fails with INTERNAL_SERVER_ERROR and leaves no version, no sample and no blob behind", async () => {
    const before = await storedState(gateway);
    const { store, references, config } = gateway.running.services.datasetUploads;
    let used = false;
    const error = await withClassFolderArchive(
      { store, references, config, analysis },
      async () => ({ path: "dataset.zip", contentType: "application/zip", stream: Readable.from([archive]) }),
      undefined,
      async () => {
        used = true;
      },
    ).then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(error).toMatchObject({
      code: ErrorCode.INTERNAL_SERVER_ERROR,
      message: expect.stringMatching(
        /^The image analysis thread stopped unexpectedly \(exit code 1: simulated crash\) while checking ".+\/crash\.jpg"; nothing of this upload was saved, try it again$/,
      ),
    });
    expect(used).toBe(false);
    // Images stored before the thread died were released with the archive itself.
    expect(await storedState(gateway)).toEqual(before);
    expect(analysis.load).toEqual({ workers: 1, running: 0, queued: 0 });
  });
});
