import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import { FakeHub, type FakeFile } from "../../support/fake-hub";
import { generateTextureDataset, zipDatasetFiles, type DatasetFile } from "../../support/texture-dataset";
import { sha256Of, storedState } from "../uploads/dataset-uploads";

const IMPORT = `mutation ($input: ImportDatasetInput!, $generateEmbeddings: Boolean) {
  importDataset(input: $input, generateEmbeddings: $generateEmbeddings) {
    dataset { name description }
    version { id number source imageCount classCount }
    imageCount classCount embeddingsQueued
    skipped { path reason }
  }
}`;

interface ImportResult {
  dataset: { name: string; description: string | null };
  version: { id: string; number: number; source: string; imageCount: number; classCount: number };
  imageCount: number;
  classCount: number;
  embeddingsQueued: boolean;
  skipped: Array<{ path: string; reason: string }>;
}

let hub: FakeHub;
let gateway: TestGateway;
let classNames: string[];
let zipUrl: string;
let zip: Buffer;
let before: Awaited<ReturnType<typeof storedState>>;

beforeAll(async () => {
  hub = await FakeHub.start();
  const textures = await generateTextureDataset({ classes: 2, imagesPerClass: 3, seed: 7 });
  classNames = textures.classNames;
  // Per class: images 0 and 1 in train/, image 2 in validation/; every other one through LFS.
  const files: Record<string, FakeFile> = {
    "README.md": { content: "# Textures" },
    ".gitattributes": { content: "*.jpg filter=lfs" },
  };
  textures.files.forEach((file, index) => {
    const split = file.path.match(/-002\./) ? "validation" : "train";
    files[`${split}/${file.path}`] = { content: file.bytes, lfs: index % 2 === 0 };
  });
  hub.addRepo({ id: "acme/textures", kind: "dataset", revisions: { main: files } });
  const fresh = await generateTextureDataset({ classes: 1, imagesPerClass: 2, seed: 99 });
  const [good, dropped] = fresh.files as [DatasetFile, DatasetFile];
  hub.addRepo({
    id: "acme/flaky",
    kind: "dataset",
    revisions: {
      main: {
        [good.path]: { content: good.bytes },
        [dropped.path]: { content: dropped.bytes, dropAfterBytes: 100 },
      },
    },
  });
  hub.addRepo({
    id: "acme/tabular",
    kind: "dataset",
    revisions: { main: { "data/train-00000-of-00001.parquet": { content: "PAR1" } } },
  });
  zip = await zipDatasetFiles(textures.files);
  zipUrl = hub.serveFile("textures.zip", {
    content: zip,
    contentType: "application/zip",
  });
  gateway = await startTestGateway({ env: { HF_ENDPOINT: hub.endpoint } });
});
afterAll(async () => {
  await gateway?.stop();
  await hub?.close();
});
beforeEach(async () => {
  before = await storedState(gateway);
});

const importDataset = (input: Record<string, unknown>) =>
  gateway.gql<{ importDataset: ImportResult }>(IMPORT, { input, generateEmbeddings: false });

async function samplesOf(versionId: string) {
  const rows = await gateway.prisma.versionSample.findMany({
    where: { versionId },
    include: { class: true, sample: true },
  });
  return rows
    .map((row) => ({
      className: row.class.name,
      split: row.split,
      path: row.sample.originalPath,
      metadata: row.metadata,
    }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}

async function expectNothingStored(
  body: { errors?: Array<{ extensions?: { code?: string } }> },
  code: string,
) {
  expect(body.errors?.[0]?.extensions?.code).toBe(code);
  expect(await storedState(gateway)).toEqual(before);
}

describe("importDataset from the Hugging Face Hub", () => {
  it("imports an image-folder repo with its classes, splits and where each sample came from", async () => {
    const body = await importDataset({
      source: "HUGGINGFACE",
      name: "textures",
      description: "From the Hub",
      huggingFace: { repoId: "acme/textures" },
    });
    expect(body.errors).toBeUndefined();
    const result = body.data!.importDataset;
    expect(result).toMatchObject({
      dataset: { name: "textures", description: "From the Hub" },
      version: { number: 1, source: "IMPORT", imageCount: 6, classCount: 2 },
      imageCount: 6,
      classCount: 2,
      embeddingsQueued: false,
      skipped: [],
    });
    const samples = await samplesOf(result.version.id);
    const commitSha = hub.commitOf("acme/textures", "main");
    const expected = classNames.flatMap((name) => [
      [name, "train", `train/${name}/${name}-000.jpg`],
      [name, "train", `train/${name}/${name}-001.jpg`],
      [name, "validation", `validation/${name}/${name}-002.png`],
    ]);
    expect(samples.map(({ className, split, path }) => [className, split, path])).toEqual(
      expected.sort((a, b) => (a[2]! < b[2]! ? -1 : 1)),
    );
    expect(samples[0]!.metadata).toEqual({
      source: "huggingface",
      repoId: "acme/textures",
      revision: "main",
      commitSha,
      path: samples[0]!.path,
    });
    expect(hub.requests.some((request) => request.path.startsWith("/api/datasets/acme/textures/"))).toBe(
      true,
    );
  });

  it("keeps only the selected classes, the first N by path, and no metadata when asked", async () => {
    const second = classNames[1]!;
    const body = await importDataset({
      source: "HUGGINGFACE",
      name: "textures-subset",
      includeMetadata: false,
      selectedClasses: [second],
      maxSamplesPerClass: 2,
      huggingFace: { repoId: "acme/textures", revision: "main" },
    });
    expect(body.errors).toBeUndefined();
    const result = body.data!.importDataset;
    expect(result).toMatchObject({ imageCount: 2, classCount: 1 });
    const samples = await samplesOf(result.version.id);
    expect(samples).toEqual([
      { className: second, split: "train", path: `train/${second}/${second}-000.jpg`, metadata: null },
      { className: second, split: "train", path: `train/${second}/${second}-001.jpg`, metadata: null },
    ]);
  });

  it("refuses an unknown class with the list of the repo's classes, storing nothing", async () => {
    const body = await importDataset({
      source: "HUGGINGFACE",
      name: "nope",
      selectedClasses: ["zebra"],
      huggingFace: { repoId: "acme/textures" },
    });
    await expectNothingStored(body, "BAD_USER_INPUT");
    expect(body.errors![0]!.message).toContain('"zebra"');
    for (const name of classNames) expect(body.errors![0]!.message).toContain(`"${name}"`);
  });

  it("answers NOT_FOUND for a repo the Hub does not have, storing nothing", async () => {
    const body = await importDataset({
      source: "HUGGINGFACE",
      name: "missing",
      huggingFace: { repoId: "acme/missing" },
    });
    await expectNothingStored(body, "NOT_FOUND");
    expect(body.errors![0]!.message).toContain('Hugging Face dataset repo "acme/missing" not found');
  });

  it("fails with a typed error naming the host when a download breaks, storing nothing", async () => {
    const body = await importDataset({
      source: "HUGGINGFACE",
      name: "flaky",
      huggingFace: { repoId: "acme/flaky" },
    });
    await expectNothingStored(body, "SERVICE_UNAVAILABLE");
    expect(body.errors![0]!.message).toContain(new URL(hub.endpoint).host);
  });

  it("refuses a damaged Parquet file with a typed error, storing nothing", async () => {
    const body = await importDataset({
      source: "HUGGINGFACE",
      name: "tabular",
      huggingFace: { repoId: "acme/tabular" },
    });
    await expectNothingStored(body, "BAD_USER_INPUT");
    expect(body.errors![0]!.message).toContain(
      '"data/train-00000-of-00001.parquet" is not a Parquet file this server can read',
    );
  });
});

describe("importDataset from a URL and other sources", () => {
  it("imports a ZIP of class folders from a URL and keeps no temporary file", async () => {
    const body = await importDataset({
      source: "URL",
      name: "textures-zip",
      url: zipUrl,
      maxSamplesPerClass: 1,
    });
    expect(body.errors).toBeUndefined();
    const result = body.data!.importDataset;
    expect(result).toMatchObject({ version: { source: "IMPORT" }, imageCount: 2, classCount: 2 });
    const samples = await samplesOf(result.version.id);
    expect(samples.map((sample) => sample.path)).toEqual(
      classNames.map((name) => `${name}/${name}-000.jpg`).sort(),
    );
    expect(samples[0]!.metadata).toEqual({ source: "url", url: zipUrl, path: samples[0]!.path });
    // The images were stored by the Hub import already (same bytes); the ZIP itself is not kept.
    expect(await gateway.blobFiles()).not.toContain(sha256Of(zip));
    expect((await storedState(gateway)).tempFiles).toBe(0);
  });

  it("refuses a CSV URL clearly, storing nothing", async () => {
    const url = hub.serveFile("mapping.csv", {
      content: "path,label\nhttp://x/a.jpg,cat\n",
      contentType: "text/csv",
    });
    const body = await importDataset({ source: "URL", name: "csv", url });
    await expectNothingStored(body, "BAD_USER_INPUT");
    expect(body.errors![0]!.message).toContain("is a CSV");
  });

  it.each(["KAGGLE", "TFDS"])(
    "answers %s with SERVICE_UNAVAILABLE: no credentials or network here",
    async (source) => {
      const body = await importDataset({ source, name: "elsewhere" });
      await expectNothingStored(body, "SERVICE_UNAVAILABLE");
      expect(body.errors![0]!.message).toMatch(/which this server does not have/);
    },
  );
});
