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
    generateTextureDataset({ classes: 2, imagesPerClass: 2, seed: 12 }),
  ]);
  archive = await zipDatasetFiles(textures.files);
});
afterAll(() => gateway?.stop());

const path = (index: number) => textures.images[index]!.path;

/** Uploads the CSV, expects BAD_USER_INPUT with this message and details, and that nothing was stored. */
async function expectRefused(csv: string | Buffer, message: string, details: Record<string, unknown>) {
  const before = await storedState(gateway);
  const body = await postDatasetCsv(gateway, { name: "refused" }, csv, archive);
  expect(body.data).toBeNull();
  expect(body.errors?.[0]).toMatchObject({ message, extensions: { code: "BAD_USER_INPUT", ...details } });
  expect(await storedState(gateway)).toEqual(before);
}

describe("uploadDatasetCsv names the line at fault", () => {
  it("names a missing path or label column", async () => {
    await expectRefused(
      `file,label\n${path(0)},cat\n`,
      'Line 1 of the CSV must name the columns path and label; missing: path (found: "file", "label")',
      { line: 1, missingColumns: ["path"] },
    );
    await expectRefused(
      `path\n${path(0)}\n`,
      'Line 1 of the CSV must name the columns path and label; missing: label (found: "path")',
      { line: 1, missingColumns: ["label"] },
    );
  });

  it("names the line that is not UTF-8", async () => {
    const latin1 = Buffer.concat([
      Buffer.from(`path,label,notes\n${path(0)},cat,ok\n${path(1)},cat,caf`),
      Buffer.from([0xe9]), // "é" in Latin-1: not a UTF-8 sequence
      Buffer.from("\n"),
    ]);
    await expectRefused(
      latin1,
      "Line 3 of the CSV is not valid UTF-8: save the file as UTF-8 and upload it again",
      { line: 3 },
    );
  });

  it("names both lines of a repeated path", async () => {
    await expectRefused(
      `path,label\n${path(0)},cat\n${path(1)},cat\n${path(0)},dog\n`,
      `Line 4 repeats the path "${path(0)}" of line 2; each file may be listed once`,
      { lines: [2, 4], path: path(0) },
    );
  });

  it("names the line and column of a NUL byte, in a label or in a metadata column", async () => {
    await expectRefused(
      `path,label\n${path(0)},cat\n${path(1)},c\0at\n`,
      'Line 3 of the CSV has a NUL byte (U+0000) in column 2 ("label")',
      { line: 3, column: 2 },
    );
    await expectRefused(
      `path,label,notes\n${path(0)},cat,fine\n${path(1)},cat,"two\nlines"\n${path(2)},dog,\0\n`,
      'Line 5 of the CSV has a NUL byte (U+0000) in column 3 ("notes")',
      { line: 5, column: 3 },
    );
  });

  it("names the line of an unknown split", async () => {
    await expectRefused(
      `path,label,split\n${path(0)},cat,train\n${path(1)},cat,holdout\n`,
      'Line 3 of the CSV has the split "holdout"; expected train, validation, test, unlabeled or empty',
      { line: 3 },
    );
  });

  it("names the line of a malformed row", async () => {
    await expectRefused(
      `path,label\n${path(0)},cat\n${path(1)},cat,extra\n`,
      "The CSV is malformed at line 3: Invalid Record Length: expect 2, got 3 on line 3",
      { line: 3 },
    );
  });

  it("skips a row whose file is not in the archive, naming its line, and keeps the rest", async () => {
    const body = await postDatasetCsv(
      gateway,
      { name: "partly-missing" },
      `path,label\n${path(0)},cat\nnot/there.png,cat\n${path(2)},dog\n`,
      archive,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.uploadDatasetCsv).toMatchObject({ imageCount: 2, classCount: 2 });
    expect(body.data!.uploadDatasetCsv.skipped).toEqual([
      { path: "not/there.png", reason: "line 3 of the CSV names this file, which is not in the archive" },
      { path: path(1), reason: "not listed in the CSV" },
      { path: path(3), reason: "not listed in the CSV" },
    ]);
  });
});
