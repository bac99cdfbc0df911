import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import { generateTextureDataset, zipDatasetFiles } from "../../support/texture-dataset";
import { storedState, uploadDatasetZip, type UploadResult } from "../uploads/dataset-uploads";
import { membersOf, VERSION_FIELDS } from "./dataset-edits";

let gateway: TestGateway;
let upload: UploadResult;
let other: UploadResult;
let sampleIds: string[];
let zip: Buffer;
beforeAll(async () => {
  const [started, textures] = await Promise.all([
    startTestGateway(),
    generateTextureDataset({ classes: 2, imagesPerClass: 2, seed: 41 }),
  ]);
  gateway = started;
  zip = await zipDatasetFiles(textures.files);
  upload = await uploadDatasetZip(gateway, { name: "guarded" }, zip);
  other = await uploadDatasetZip(gateway, { name: "another" }, zip);
  sampleIds = Object.keys(await membersOf(gateway, upload.version.id)).sort();
});
afterAll(() => gateway?.stop());

const RELABEL = `mutation ($v: ID!, $changes: [SampleLabelInput!]!) { relabelSamples(datasetVersionId: $v, changes: $changes) { ${VERSION_FIELDS} } }`;
const DELETE = `mutation ($v: ID!, $ids: [ID!]!) { deleteSamples(datasetVersionId: $v, sampleIds: $ids) { ${VERSION_FIELDS} } }`;
const MERGE = `mutation ($v: ID!, $classes: [String!]!, $into: String!) { mergeClasses(datasetVersionId: $v, classes: $classes, into: $into) { ${VERSION_FIELDS} } }`;
const RENAME = `mutation ($v: ID!, $from: String!, $to: String!) { renameClass(datasetVersionId: $v, from: $from, to: $to) { ${VERSION_FIELDS} } }`;
const ADD = `mutation ($d: ID!, $archive: Upload!, $base: ID) { addSamples(datasetId: $d, archive: $archive, baseVersionId: $base) { ${VERSION_FIELDS} } }`;

/** Runs the mutation, expects the code (and message), and that nothing was stored. */
async function expectRefused(
  query: string,
  variables: Record<string, unknown>,
  code: string,
  message: string | RegExp,
  token?: string,
) {
  const before = await storedState(gateway);
  const body = await gateway.gql(query, variables, token);
  expect(body.errors?.[0]?.extensions?.code).toBe(code);
  expect(body.errors?.[0]?.message).toMatch(message);
  expect(await storedState(gateway)).toEqual(before);
  return body.errors![0]!;
}

describe("edits refuse bad input and store nothing", () => {
  it("lists sample ids that are not in the base version", async () => {
    const stranger = Object.keys(await membersOf(gateway, other.version.id))[0]!;
    const unknown = randomUUID();
    const error = await expectRefused(
      DELETE,
      { v: upload.version.id, ids: [sampleIds[0], stranger, unknown] },
      "BAD_USER_INPUT",
      `These samples are not in version ${upload.version.id}: ${stranger}, ${unknown}`,
    );
    expect(error.extensions?.sampleIds).toEqual([stranger, unknown]);
    await expectRefused(
      RELABEL,
      { v: upload.version.id, changes: [{ sampleId: unknown, label: "x" }] },
      "BAD_USER_INPUT",
      `These samples are not in version ${upload.version.id}: ${unknown}`,
    );
  });

  it("refuses empty change lists", async () => {
    await expectRefused(
      RELABEL,
      { v: upload.version.id, changes: [] },
      "BAD_USER_INPUT",
      "Give at least one change: `changes` is empty",
    );
    await expectRefused(
      DELETE,
      { v: upload.version.id, ids: [] },
      "BAD_USER_INPUT",
      "Give at least one sample id: `sampleIds` is empty",
    );
  });

  it("refuses more than 10,000 samples or classes in one edit, naming the list", async () => {
    const many = Array.from({ length: 10_001 }, () => randomUUID());
    const tooMany = (field: string) => `${field} must have at most 10000 entries, got 10001`;
    const error = await expectRefused(
      DELETE,
      { v: upload.version.id, ids: many },
      "BAD_USER_INPUT",
      tooMany("sampleIds"),
    );
    expect(error.extensions?.field).toBe("sampleIds");
    await expectRefused(
      RELABEL,
      { v: upload.version.id, changes: many.map((sampleId) => ({ sampleId, label: "x" })) },
      "BAD_USER_INPUT",
      tooMany("changes"),
    );
    await expectRefused(
      MERGE,
      { v: upload.version.id, classes: many, into: "all" },
      "BAD_USER_INPUT",
      tooMany("classes"),
    );
  });

  it("refuses deleting every sample", async () => {
    await expectRefused(
      DELETE,
      { v: upload.version.id, ids: sampleIds },
      "BAD_USER_INPUT",
      "Deleting all 4 samples would leave an empty version; delete the dataset instead (deleteDataset)",
    );
  });

  it("answers CONFLICT for a rename onto an existing class and suggests mergeClasses", async () => {
    await expectRefused(
      RENAME,
      { v: upload.version.id, from: "red-stripes", to: "green-checkerboard" },
      "CONFLICT",
      `Version ${upload.version.id} already has a class "green-checkerboard"; to put both classes together use mergeClasses`,
    );
    await expectRefused(
      RENAME,
      { v: upload.version.id, from: "nope", to: "x" },
      "BAD_USER_INPUT",
      `Version ${upload.version.id} has no samples in the class "nope"`,
    );
  });

  it("refuses merging fewer than 2 classes or unknown ones", async () => {
    await expectRefused(
      MERGE,
      { v: upload.version.id, classes: ["red-stripes", "red-stripes"], into: "all" },
      "BAD_USER_INPUT",
      "Merging needs at least 2 different classes, got 1; to rename one use renameClass",
    );
    await expectRefused(
      MERGE,
      { v: upload.version.id, classes: ["red-stripes", "ghost"], into: "all" },
      "BAD_USER_INPUT",
      `Version ${upload.version.id} has no samples in the class(es) ghost`,
    );
  });

  it("refuses a base version of another dataset", async () => {
    const before = await storedState(gateway);
    const body = await gateway.upload(ADD, { d: upload.dataset.id, base: other.version.id }, [
      { variable: "archive", filename: "more.zip", content: zip, contentType: "application/zip" },
    ]);
    expect(body.errors?.[0]).toMatchObject({
      message: `Version ${other.version.id} is not a version of dataset ${upload.dataset.id}`,
      extensions: { code: "BAD_USER_INPUT", field: "baseVersionId" },
    });
    expect(await storedState(gateway)).toEqual(before);
  });

  it("lets only the owner or an admin edit: NOT_FOUND for a private dataset, FORBIDDEN for a public one", async () => {
    const member = await gateway.createMember("mallory");
    const rename = { v: upload.version.id, from: "red-stripes", to: "mine" };
    await expectRefused(
      RENAME,
      rename,
      "NOT_FOUND",
      `Dataset version ${upload.version.id} not found`,
      member,
    );
    await gateway.prisma.dataset.update({ where: { id: upload.dataset.id }, data: { isPublic: true } });
    await expectRefused(RENAME, rename, "FORBIDDEN", /belongs to another user/, member);
    await expectRefused(
      RENAME,
      { ...rename, v: "not-an-id" },
      "NOT_FOUND",
      "Dataset version not-an-id not found",
    );
  });
});
