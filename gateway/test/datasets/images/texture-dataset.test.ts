import { createHash } from "node:crypto";
import yauzl from "yauzl";
import { describe, expect, it } from "vitest";
import { generateTextureDataset, zipDatasetFiles } from "../../support/texture-dataset";

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function zipEntryNames(zip: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, archive) => {
      if (error) return reject(error);
      const names: string[] = [];
      archive.on("entry", (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        archive.readEntry();
      });
      archive.on("end", () => resolve(names));
      archive.on("error", reject);
      archive.readEntry();
    });
  });
}

describe("generateTextureDataset", () => {
  it("makes class folders of JPEG and PNG images, the same bytes for the same seed", async () => {
    const first = await generateTextureDataset({ classes: 3, imagesPerClass: 3, seed: 7 });
    const again = await generateTextureDataset({ classes: 3, imagesPerClass: 3, seed: 7 });
    const other = await generateTextureDataset({ classes: 3, imagesPerClass: 3, seed: 8 });
    expect(first.classNames).toEqual(["red-stripes", "green-checkerboard", "blue-dots"]);
    expect(first.files.map((file) => file.path)).toEqual([
      "red-stripes/red-stripes-000.jpg",
      "red-stripes/red-stripes-001.jpg",
      "red-stripes/red-stripes-002.png",
      "green-checkerboard/green-checkerboard-000.jpg",
      "green-checkerboard/green-checkerboard-001.jpg",
      "green-checkerboard/green-checkerboard-002.png",
      "blue-dots/blue-dots-000.jpg",
      "blue-dots/blue-dots-001.jpg",
      "blue-dots/blue-dots-002.png",
    ]);
    expect(first.files.map((file) => sha256(file.bytes))).toEqual(
      again.files.map((file) => sha256(file.bytes)),
    );
    expect(first.files.map((file) => sha256(file.bytes))).not.toEqual(
      other.files.map((file) => sha256(file.bytes)),
    );
  });

  it("zips every file, bad ones included, with the gateway's ZIP writer", async () => {
    const dataset = await generateTextureDataset({
      classes: 2,
      imagesPerClass: 2,
      inject: ["macosx", "dot-files", "nested-folder"],
    });
    const zip = await zipDatasetFiles(dataset.files);
    expect(await zipEntryNames(zip)).toEqual([
      "red-stripes/red-stripes-000.jpg",
      "red-stripes/red-stripes-001.jpg",
      "green-checkerboard/green-checkerboard-000.jpg",
      "green-checkerboard/green-checkerboard-001.jpg",
      "__MACOSX/red-stripes/._red-stripes-000.jpg",
      "red-stripes/.DS_Store",
      ".hidden/secret.jpg",
      "red-stripes/nested/deeper.jpg",
    ]);
    expect(sha256(await zipDatasetFiles(dataset.files))).toBe(sha256(zip));
  });
});
