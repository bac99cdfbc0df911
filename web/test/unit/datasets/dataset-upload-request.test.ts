import { describe, expect, it } from "vitest";
import { datasetFiles, datasetInput, suggestDatasetName } from "../../../src/datasets/dataset-upload-request";

const file = (name: string) => new File(["x"], name);

describe("datasetFiles", () => {
  it("takes one ZIP as class folders, and a CSV with its ZIP as a mapping, in either order", () => {
    const zip = file("flowers.zip");
    const csv = file("labels.CSV");
    expect(datasetFiles([zip])).toEqual({ kind: "zip", archive: zip });
    expect(datasetFiles([zip, csv])).toEqual({ kind: "csv", csv, archive: zip });
    expect(datasetFiles([csv, zip])).toEqual({ kind: "csv", csv, archive: zip });
  });

  it("says what is wrong with anything else, before a byte is sent", () => {
    expect(datasetFiles([])).toEqual({
      kind: "invalid",
      problem: "Choose a ZIP of class folders, or a CSV and its ZIP",
    });
    expect(datasetFiles([file("labels.csv")])).toEqual({
      kind: "invalid",
      problem: "labels.csv names files inside a ZIP: add the ZIP its path column refers to",
    });
    expect(datasetFiles([file("cat.png"), file("dog.jpg")])).toEqual({
      kind: "invalid",
      problem:
        "Only .zip and .csv files can be uploaded, got cat.png, dog.jpg: put the images in class folders and ZIP them",
    });
    expect(datasetFiles([file("a.zip"), file("b.zip")])).toEqual({
      kind: "invalid",
      problem: "Upload one ZIP at a time, got 2: a.zip, b.zip",
    });
  });
});

describe("datasetInput", () => {
  it("trims, splits tags and leaves out what was not filled in so a later upload keeps it", () => {
    expect(
      datasetInput({
        name: "  flowers ",
        description: " ",
        tags: "",
        isPublic: false,
        generateEmbeddings: true,
      }),
    ).toEqual({
      name: "flowers",
    });
    expect(
      datasetInput({
        name: "flowers",
        description: "Five kinds",
        tags: "plants, , photos ",
        isPublic: true,
        generateEmbeddings: false,
      }),
    ).toEqual({ name: "flowers", description: "Five kinds", tags: ["plants", "photos"], isPublic: true });
  });
});

describe("suggestDatasetName", () => {
  it("names the dataset after the archive", () => {
    expect(suggestDatasetName("flowers_2024-v2.zip")).toBe("flowers 2024 v2");
    expect(suggestDatasetName("Street signs.ZIP")).toBe("Street signs");
  });
});
