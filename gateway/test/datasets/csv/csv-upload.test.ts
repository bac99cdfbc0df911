import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import { generateTextureDataset, zipDatasetFiles, type TextureDataset } from "../../support/texture-dataset";
import { storedState } from "../uploads/dataset-uploads";
import { postDatasetCsv } from "./csv-uploads";

let gateway: TestGateway;
let textures: TextureDataset;
let archive: Buffer;
beforeAll(async () => {
  [gateway, textures] = await Promise.all([
    startTestGateway(),
    generateTextureDataset({ classes: 2, imagesPerClass: 3, seed: 11 }),
  ]);
  archive = await zipDatasetFiles(textures.files);
});
afterAll(() => gateway?.stop());

describe("uploadDatasetCsv", () => {
  it("stores the rows' labels, splits and metadata, and skips what the CSV does not map", async () => {
    const [a, b, c, d, e] = textures.images.map((image) => image.path);
    // A BOM, CRLF line endings, a quoted field with a comma, quote and line break, labels unlike
    // the folder names, and one row whose file is missing.
    const csv =
      "\ufeffpath,label,split,photographer,notes\r\n" +
      `${a},cat,train,Ann,"plain"\r\n` +
      `${b},cat,validation,Bo,"has, a comma"\r\n` +
      `./${c},dog,TEST,Cy,"says ""hi""\nand more"\r\n` +
      `${d},dog,,Di,\r\n` +
      "missing/ghost.jpg,dog,train,Ed,none\r\n";
    const before = await gateway.blobFiles();
    const body = await postDatasetCsv(gateway, { name: "pets", tags: ["csv"] }, csv, archive);
    expect(body.errors).toBeUndefined();
    const result = body.data!.uploadDatasetCsv;
    expect(result).toMatchObject({ imageCount: 4, classCount: 2 });
    expect(result.version).toMatchObject({ number: 1, source: "CSV", imageCount: 4, classCount: 2 });
    expect(result.skipped).toEqual([
      { path: "missing/ghost.jpg", reason: "line 7 of the CSV names this file, which is not in the archive" },
      { path: e, reason: "not listed in the CSV" },
      { path: textures.images[5]!.path, reason: "not listed in the CSV" },
    ]);
    expect(result.version.skipped).toEqual(result.skipped);

    const members = await gateway.prisma.versionSample.findMany({
      where: { versionId: result.version.id },
      include: { sample: true, class: true },
    });
    const byRow = [a, b, c, d];
    const stored = members
      .map((m) => ({
        path: m.sample.originalPath,
        label: m.class.name,
        split: m.split,
        metadata: m.metadata,
      }))
      .sort((x, y) => byRow.indexOf(x.path) - byRow.indexOf(y.path));
    expect(stored).toEqual([
      { path: a, label: "cat", split: "train", metadata: { photographer: "Ann", notes: "plain" } },
      { path: b, label: "cat", split: "validation", metadata: { photographer: "Bo", notes: "has, a comma" } },
      {
        path: c,
        label: "dog",
        split: "test",
        metadata: { photographer: "Cy", notes: 'says "hi"\nand more' },
      },
      { path: d, label: "dog", split: null, metadata: { photographer: "Di", notes: "" } },
    ]);
    // Only the four mapped images were stored; the CSV and the archive were not kept.
    expect((await gateway.blobFiles()).length).toBe(before.length + 4);
    expect(await gateway.tempFileCount()).toBe(0);

    const read = await gateway.gql<{
      datasetVersion: { samples: { totalCount: number; edges: Array<{ node: { split: string } }> } };
    }>(
      `query ($id: ID!) { datasetVersion(id: $id) { samples(split: "train") { totalCount edges { node { split } } } } }`,
      {
        id: result.version.id,
      },
    );
    expect(read.data!.datasetVersion.samples.totalCount).toBe(1);
  });

  it("refuses a CSV without an archive and stores nothing", async () => {
    const before = await storedState(gateway);
    const body = await postDatasetCsv(gateway, { name: "no-archive" }, "path,label\na.jpg,cat\n", null);
    expect(body.errors?.[0]).toMatchObject({
      message: expect.stringContaining("uploadDatasetCsv needs `archive`"),
      extensions: { code: "BAD_USER_INPUT", field: "archive" },
    });
    expect(await storedState(gateway)).toEqual(before);
  });

  it("refuses a CSV none of whose rows names a file of the archive", async () => {
    const before = await storedState(gateway);
    const body = await postDatasetCsv(gateway, { name: "ghosts" }, "path,label\nghost.jpg,cat\n", archive);
    expect(body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(body.errors?.[0]?.message).toMatch(/^No row of the CSV names a valid image in the archive/);
    expect(await storedState(gateway)).toEqual(before);
  });
});
