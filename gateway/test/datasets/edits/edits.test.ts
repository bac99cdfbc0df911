import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import { generateTextureDataset, zipDatasetFiles } from "../../support/texture-dataset";
import { uploadDatasetZip, type UploadResult } from "../uploads/dataset-uploads";
import { diff, edit, membersOf, VERSION_FIELDS } from "./dataset-edits";

let gateway: TestGateway;
let upload: UploadResult;
/** Version 1: sampleId → class name. */
let original: Record<string, string>;
const idsOf = (members: Record<string, string>, className: string) =>
  Object.keys(members)
    .filter((id) => members[id] === className)
    .sort();

beforeAll(async () => {
  const [started, textures] = await Promise.all([
    startTestGateway(),
    generateTextureDataset({ classes: 3, imagesPerClass: 3, seed: 31 }),
  ]);
  gateway = started;
  upload = await uploadDatasetZip(gateway, { name: "editable" }, await zipDatasetFiles(textures.files));
  original = await membersOf(gateway, upload.version.id);
});
afterAll(() => gateway?.stop());

const RELABEL = `mutation ($v: ID!, $changes: [SampleLabelInput!]!) { relabelSamples(datasetVersionId: $v, changes: $changes) { ${VERSION_FIELDS} } }`;
const DELETE = `mutation ($v: ID!, $ids: [ID!]!) { deleteSamples(datasetVersionId: $v, sampleIds: $ids) { ${VERSION_FIELDS} } }`;
const MERGE = `mutation ($v: ID!, $classes: [String!]!, $into: String!) { mergeClasses(datasetVersionId: $v, classes: $classes, into: $into) { ${VERSION_FIELDS} } }`;
const RENAME = `mutation ($v: ID!, $from: String!, $to: String!, $message: String) { renameClass(datasetVersionId: $v, from: $from, to: $to, message: $message) { ${VERSION_FIELDS} } }`;

describe("dataset edits make new versions and leave their base as it was", () => {
  it("relabels samples, creating a class for a new name", async () => {
    const [red0, red1] = idsOf(original, "red-stripes");
    const green0 = idsOf(original, "green-checkerboard")[0]!;
    const v2 = await edit(gateway, "relabelSamples", RELABEL, {
      v: upload.version.id,
      changes: [
        { sampleId: red0, label: "green-checkerboard" },
        { sampleId: red1, label: "maroon" },
        { sampleId: green0, label: "maroon" },
      ],
    });
    expect(v2).toMatchObject({
      number: 2,
      source: "EDIT",
      message: "Relabelled 3 samples",
      imageCount: 9,
      classCount: 4,
    });
    expect(await membersOf(gateway, v2.id)).toEqual({
      ...original,
      [red0!]: "green-checkerboard",
      [red1!]: "maroon",
      [green0]: "maroon",
    });
    expect(await membersOf(gateway, upload.version.id)).toEqual(original);
    expect(await diff(gateway, v2.id, upload.version.id)).toEqual({
      added: 0,
      removed: 0,
      relabelled: 3,
      unchanged: 6,
    });
    const parent = await gateway.prisma.datasetVersion.findUniqueOrThrow({ where: { id: v2.id } });
    expect(parent.parentId).toBe(upload.version.id);
  });

  it("deletes samples from the version given, not from the latest", async () => {
    const gone = idsOf(original, "blue-dots").slice(0, 2);
    const v3 = await edit(gateway, "deleteSamples", DELETE, { v: upload.version.id, ids: gone });
    expect(v3).toMatchObject({ number: 3, message: "Deleted 2 samples", imageCount: 7, classCount: 3 });
    const expected = { ...original };
    for (const id of gone) delete expected[id];
    expect(await membersOf(gateway, v3.id)).toEqual(expected);
    expect(await diff(gateway, v3.id, upload.version.id)).toEqual({
      added: 0,
      removed: 2,
      relabelled: 0,
      unchanged: 7,
    });
  });

  it("merges classes into a new one", async () => {
    const v4 = await edit(gateway, "mergeClasses", MERGE, {
      v: upload.version.id,
      classes: ["red-stripes", "blue-dots"],
      into: "warm-and-cool",
    });
    expect(v4).toMatchObject({
      number: 4,
      message: "Merged red-stripes, blue-dots into warm-and-cool",
      classCount: 2,
    });
    const members = await membersOf(gateway, v4.id);
    expect(idsOf(members, "warm-and-cool")).toEqual(
      [...idsOf(original, "red-stripes"), ...idsOf(original, "blue-dots")].sort(),
    );
    expect(idsOf(members, "green-checkerboard")).toEqual(idsOf(original, "green-checkerboard"));
    expect(await diff(gateway, v4.id, upload.version.id)).toEqual({
      added: 0,
      removed: 0,
      relabelled: 6,
      unchanged: 3,
    });
  });

  it("renames a class in the new version only, under the message the user gave", async () => {
    const v5 = await edit(gateway, "renameClass", RENAME, {
      v: upload.version.id,
      from: "blue-dots",
      to: "navy-dots",
      message: "  The dots are navy, not blue  ",
    });
    expect(v5).toMatchObject({
      number: 5,
      message: "The dots are navy, not blue",
      imageCount: 9,
      classCount: 3,
    });
    const members = await membersOf(gateway, v5.id);
    expect(idsOf(members, "navy-dots")).toEqual(idsOf(original, "blue-dots"));
    expect(idsOf(members, "blue-dots")).toEqual([]);
    expect(await membersOf(gateway, upload.version.id)).toEqual(original);
    expect(await diff(gateway, v5.id, upload.version.id)).toEqual({
      added: 0,
      removed: 0,
      relabelled: 3,
      unchanged: 6,
    });
  });

  it("adds the images of a ZIP to the latest version by default", async () => {
    const extra = await generateTextureDataset({ classes: 5, imagesPerClass: 1, seed: 32 });
    const files = extra.files.slice(2); // blue-dots, yellow-gradient, purple-noise
    const body = await gateway.upload<{
      addSamples: {
        number: number;
        imageCount: number;
        classCount: number;
        message: string;
        id: string;
        source: string;
      };
    }>(
      `mutation ($d: ID!, $archive: Upload!) { addSamples(datasetId: $d, archive: $archive) { ${VERSION_FIELDS} } }`,
      { d: upload.dataset.id },
      [
        {
          variable: "archive",
          filename: "more.zip",
          content: await zipDatasetFiles(files),
          contentType: "application/zip",
        },
      ],
    );
    expect(body.errors).toBeUndefined();
    const v6 = body.data!.addSamples;
    // Based on version 5 (the latest), where blue-dots is called navy-dots.
    expect(v6).toMatchObject({
      number: 6,
      source: "EDIT",
      message: "Added 3 samples",
      imageCount: 12,
      classCount: 6,
    });
    const v5 = await gateway.prisma.datasetVersion.findFirstOrThrow({
      where: { datasetId: upload.dataset.id, number: 5 },
    });
    const before = await membersOf(gateway, v5.id);
    const after = await membersOf(gateway, v6.id);
    const added = Object.keys(after).filter((id) => !(id in before));
    expect(added.map((id) => after[id]).sort()).toEqual(["blue-dots", "purple-noise", "yellow-gradient"]);
    expect(Object.fromEntries(Object.entries(after).filter(([id]) => id in before))).toEqual(before);
    expect(await diff(gateway, v6.id, v5.id)).toEqual({ added: 3, removed: 0, relabelled: 0, unchanged: 9 });
    expect(await diff(gateway, v5.id, v6.id)).toEqual({ added: 0, removed: 3, relabelled: 0, unchanged: 9 });
  });
});
