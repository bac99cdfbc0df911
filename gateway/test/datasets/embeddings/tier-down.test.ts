import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTierProcess, type TierProcess } from "../../../../inference/test/helpers/tier-process";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import { generateTextureDataset, zipDatasetFiles } from "../../support/texture-dataset";
import { finished, statuses, upload } from "./embeddings-api";

/**
 * The gateway on a tier process of the test's own, stopped while a version waits to be embedded:
 * the run is retried with backoff instead of failing, the dataset stays readable meanwhile, and
 * the run completes once the tier is back on its address.
 */
describe("embedding while the tier is down", () => {
  let tier: TierProcess;
  let gateway: TestGateway;

  beforeAll(async () => {
    tier = await startTierProcess();
    gateway = await startTestGateway({
      env: { INFERENCE_URL: `127.0.0.1:${tier.port}`, TESSERA_INFERENCE_DEADLINE_MS: "1500" },
    });
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    await tier?.stop();
  });

  it("retries the run and completes it after the tier returns", async () => {
    const port = tier.port;
    await tier.stop();
    const zip = await zipDatasetFiles(
      (await generateTextureDataset({ classes: 2, imagesPerClass: 4 })).files,
    );
    const uploaded = await upload(gateway, "while-down", zip);
    expect(uploaded.embeddingsQueued).toBe(true);

    // The first attempt fails against the stopped tier; the run waits for a retry, it does not fail.
    const deadline = Date.now() + 15_000;
    let waiting = (await statuses(gateway, uploaded.version.id))[0]!;
    while (!waiting.error && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      waiting = (await statuses(gateway, uploaded.version.id))[0]!;
    }
    expect(waiting).toMatchObject({ state: "QUEUED", done: 0, total: 8 });
    expect(waiting.error).toMatch(/^Attempt 1 failed, will retry: /);

    // The dataset itself is usable meanwhile.
    const samples = await gateway.gql<{ datasetVersion: { samples: { totalCount: number } } }>(
      `query ($id: ID!) { datasetVersion(id: $id) { samples { totalCount } } }`,
      { id: uploaded.version.id },
    );
    expect(samples.data?.datasetVersion.samples.totalCount).toBe(8);

    tier = await startTierProcess(port);
    expect(await finished(gateway, uploaded.version.id, "FEATURE/v2/256", 40_000)).toMatchObject({
      state: "SUCCEEDED",
      done: 8,
      failed: 0,
      error: null,
    });
  }, 60_000);
});
