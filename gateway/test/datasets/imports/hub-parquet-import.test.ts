import sharp from "sharp";
import { parquetWriteBuffer } from "hyparquet-writer";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import { FakeHub } from "../../support/fake-hub";
import { storedState } from "../uploads/dataset-uploads";

const IMPORT = `mutation ($input: ImportDatasetInput!) {
  importDataset(input: $input, generateEmbeddings: false) {
    version { id source imageCount classCount }
    skipped { path reason }
  }
}`;

interface ImportResult {
  version: { id: string; source: string; imageCount: number; classCount: number };
  skipped: Array<{ path: string; reason: string }>;
}

interface Row {
  png: Buffer;
  label: number;
}

let hub: FakeHub;
let gateway: TestGateway;
let before: Awaited<ReturnType<typeof storedState>>;

/** A solid square whose colour differs per image, so no two images share a blob. */
const png = (seed: number) =>
  sharp({
    create: { width: 24, height: 24, channels: 3, background: { r: seed * 40, g: 255 - seed * 30, b: 90 } },
  })
    .png()
    .toBuffer();

/** A Parquet file as `datasets.push_to_hub` writes one: image struct, int64 label, features metadata. */
function parquetOf(rows: readonly Row[], names: string[] | null): Buffer {
  const features = {
    image: { _type: "Image" },
    label: names ? { names, _type: "ClassLabel" } : { dtype: "int64", _type: "Value" },
  };
  const buffer = parquetWriteBuffer({
    columnData: [
      {
        name: "image",
        data: rows.map((row, i) => ({ bytes: new Uint8Array(row.png), path: `img-${i}.png` })),
      },
      { name: "label", data: rows.map((row) => BigInt(row.label)) },
    ],
    schema: [
      { name: "schema", num_children: 2 },
      { name: "image", repetition_type: "OPTIONAL", num_children: 2 },
      { name: "bytes", type: "BYTE_ARRAY", repetition_type: "OPTIONAL" },
      { name: "path", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" },
      { name: "label", type: "INT64", repetition_type: "OPTIONAL" },
    ],
    kvMetadata: [{ key: "huggingface", value: JSON.stringify({ info: { features } }) }],
  });
  return Buffer.from(buffer);
}

beforeAll(async () => {
  hub = await FakeHub.start();
  const images = await Promise.all([0, 1, 2, 3, 4, 5].map(png));
  // Label 0 is "cat", 1 is "dog"; train holds two of each, validation one of each.
  const train = parquetOf(
    [
      { png: images[0]!, label: 1 },
      { png: images[1]!, label: 0 },
      { png: images[2]!, label: 1 },
      { png: images[3]!, label: 0 },
    ],
    ["cat", "dog"],
  );
  const validation = parquetOf(
    [
      { png: images[4]!, label: 0 },
      { png: images[5]!, label: 1 },
    ],
    ["cat", "dog"],
  );
  hub.addRepo({
    id: "acme/pets",
    kind: "dataset",
    revisions: {
      main: {
        "README.md": { content: "# Pets" },
        "data/train-00000-of-00001.parquet": { content: train, lfs: true },
        "data/validation-00000-of-00001.parquet": { content: validation },
      },
    },
  });
  hub.addRepo({
    id: "acme/unnamed",
    kind: "dataset",
    revisions: {
      main: {
        "default/test/0000.parquet": {
          content: parquetOf(
            [
              { png: images[0]!, label: 7 },
              { png: images[1]!, label: 3 },
            ],
            null,
          ),
        },
      },
    },
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
  gateway.gql<{ importDataset: ImportResult }>(IMPORT, { input });

async function samplesOf(versionId: string) {
  const rows = await gateway.prisma.versionSample.findMany({
    where: { versionId },
    include: { class: true, sample: true },
  });
  return rows
    .map((row) => [row.class.name, row.split, row.sample.originalPath])
    .sort((a, b) => (a[2]! < b[2]! ? -1 : 1));
}

describe("importDataset from a Parquet dataset repo on the Hub", () => {
  it("imports every row with the class its ClassLabel names and the split its file name gives", async () => {
    const body = await importDataset({
      source: "HUGGINGFACE",
      name: "pets",
      huggingFace: { repoId: "acme/pets" },
    });
    expect(body.errors).toBeUndefined();
    const result = body.data!.importDataset;
    expect(result).toMatchObject({
      version: { source: "IMPORT", imageCount: 6, classCount: 2 },
      skipped: [],
    });
    const train = "data/train-00000-of-00001.parquet";
    const validation = "data/validation-00000-of-00001.parquet";
    expect(await samplesOf(result.version.id)).toEqual([
      ["dog", "train", `${train}/row-00000000`],
      ["cat", "train", `${train}/row-00000001`],
      ["dog", "train", `${train}/row-00000002`],
      ["cat", "train", `${train}/row-00000003`],
      ["cat", "validation", `${validation}/row-00000000`],
      ["dog", "validation", `${validation}/row-00000001`],
    ]);
    const row = await gateway.prisma.versionSample.findFirst({
      where: { versionId: result.version.id, sample: { originalPath: `${train}/row-00000000` } },
    });
    expect(row!.metadata).toEqual({
      source: "huggingface",
      repoId: "acme/pets",
      revision: "main",
      commitSha: hub.commitOf("acme/pets", "main"),
      path: `${train}/row-00000000`,
      imagePath: "img-0.png",
    });
    // Only the images stay: the Parquet files were released once read.
    const after = await storedState(gateway);
    expect(after.blobFiles - before.blobFiles).toBe(after.blobs - before.blobs);
    expect(after.tempFiles).toBe(before.tempFiles);
  });

  it("keeps one split, the selected classes and the first N rows per class", async () => {
    const body = await importDataset({
      source: "HUGGINGFACE",
      name: "pets-dogs",
      includeMetadata: false,
      selectedClasses: ["dog"],
      maxSamplesPerClass: 1,
      huggingFace: { repoId: "acme/pets", split: "train" },
    });
    expect(body.errors).toBeUndefined();
    const result = body.data!.importDataset;
    expect(result.version).toMatchObject({ imageCount: 1, classCount: 1 });
    expect(await samplesOf(result.version.id)).toEqual([
      ["dog", "train", "data/train-00000-of-00001.parquet/row-00000000"],
    ]);
  });

  it("names classes by their label values when the file has no ClassLabel names", async () => {
    const body = await importDataset({
      source: "HUGGINGFACE",
      name: "unnamed",
      huggingFace: { repoId: "acme/unnamed", config: "default" },
    });
    expect(body.errors).toBeUndefined();
    expect(await samplesOf(body.data!.importDataset.version.id)).toEqual([
      ["7", "test", "default/test/0000.parquet/row-00000000"],
      ["3", "test", "default/test/0000.parquet/row-00000001"],
    ]);
  });

  it("refuses a split the Parquet files do not hold, storing nothing", async () => {
    const body = await importDataset({
      source: "HUGGINGFACE",
      name: "pets-test",
      huggingFace: { repoId: "acme/pets", split: "test" },
    });
    expect(body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(body.errors![0]!.message).toContain("its Parquet files hold train, validation");
    expect(await storedState(gateway)).toEqual(before);
  });
});
