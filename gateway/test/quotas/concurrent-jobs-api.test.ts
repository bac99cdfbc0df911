import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postDatasetZip } from "../datasets/uploads/dataset-uploads";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { generateTextureDataset, zipDatasetFiles } from "../support/texture-dataset";

const EMBED = `mutation ($id: ID!, $dimension: Int!) {
  embedDatasetVersion(datasetVersionId: $id, embedding: { dimension: $dimension }) { space }
}`;

let gateway: TestGateway;
let member: string;

/** No process runs embedding jobs here: every job queued stays QUEUED and holds its slot. */
beforeAll(async () => {
  gateway = await startTestGateway({
    env: { TESSERA_QUOTA_CONCURRENT_JOBS: "2", TESSERA_EMBEDDING_WORKERS: "0" },
  });
  member = await gateway.createMember("jobs");
});

afterAll(async () => {
  await gateway?.stop();
});

const jobRows = async () => ({
  jobs: await gateway.prisma.job.count(),
  events: await gateway.prisma.jobEvent.count(),
  runs: await gateway.prisma.embeddingRun.count(),
});

describe("the concurrent-jobs quota through the API", () => {
  it("counts the upload's own job, admits up to the limit, then refuses a start and queues nothing", async () => {
    const dataset = await generateTextureDataset({ classes: 2, imagesPerClass: 2 });
    const uploaded = await postDatasetZip(
      gateway,
      { name: "textures" },
      await zipDatasetFiles(dataset.files),
      member,
    );
    expect(uploaded.errors).toBeUndefined();
    const versionId = uploaded.data!.uploadDataset.version.id;

    const usage = async () =>
      (
        await gateway.gql<{ me: { usage: { concurrentJobs: unknown } } }>(
          "{ me { usage { concurrentJobs { used limit } } } }",
          {},
          member,
        )
      ).data!.me.usage.concurrentJobs;
    expect(await usage()).toEqual({ used: 1, limit: 2 });

    const second = await gateway.gql(EMBED, { id: versionId, dimension: 128 }, member);
    expect(second.errors).toBeUndefined();
    expect(await usage()).toEqual({ used: 2, limit: 2 });

    const before = await jobRows();
    const third = await gateway.gql(EMBED, { id: versionId, dimension: 64 }, member);
    expect(third.errors?.[0]?.extensions).toMatchObject({
      code: "QUOTA_EXCEEDED",
      quota: "concurrentJobs",
      limit: 2,
      used: 2,
    });
    expect(third.errors?.[0]?.message).toBe(
      "You have 2 jobs queued or running; your limit is 2: wait for one to finish or cancel one",
    );
    expect(await jobRows()).toEqual(before);

    // A cancelled job frees its slot.
    const [queued] = await gateway.prisma.job.findMany({ where: { status: "QUEUED" }, take: 1 });
    const cancelled = await gateway.gql(
      "mutation ($id: ID!) { cancelJob(id: $id) { status } }",
      { id: queued!.id },
      member,
    );
    expect(cancelled.errors).toBeUndefined();
    expect((await gateway.gql(EMBED, { id: versionId, dimension: 64 }, member)).errors).toBeUndefined();
    expect(await usage()).toEqual({ used: 2, limit: 2 });
  });
});
