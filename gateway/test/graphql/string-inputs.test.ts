import { parse, type GraphQLSchema } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGatewaySchema } from "../../src/graphql/schema";
import { nulByteErrors } from "../../src/graphql/string-inputs";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { generateTextureDataset, zipDatasetFiles } from "../support/texture-dataset";
import { expectError, UPLOAD_MODEL, uploadModel } from "../registry/operations";

describe("nulByteErrors", () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildGatewaySchema();
  });

  const fields = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
    nulByteErrors(schema, { document: parse(query), variables, operationName }).map((error) => ({
      code: error.code,
      field: error.details.field,
      message: error.message,
    }));

  it("names the argument path of a literal, through input objects and lists", () => {
    expect(
      fields('{ models(search: "a\\u0000b", filter: { tags: ["ok", "b\\u0000"] }) { totalCount } }'),
    ).toEqual([
      {
        code: "BAD_USER_INPUT",
        field: "search",
        message: 'Argument "search" of "models" contains a NUL byte (U+0000), which text fields cannot hold',
      },
      {
        code: "BAD_USER_INPUT",
        field: "filter.tags.1",
        message:
          'Argument "filter.tags.1" of "models" contains a NUL byte (U+0000), which text fields cannot hold',
      },
    ]);
  });

  it("names the variable path, JSON scalar values and keys included", () => {
    const query =
      "mutation ($id: ID!, $patch: ModelVersionPatch!) { updateModelVersion(id: $id, patch: $patch) { id } }";
    const found = fields(query, {
      id: "v\u0000",
      patch: {
        labels: ["cat", "d\u0000g"],
        customMetadata: { notes: ["fine", { deep: "x\u0000" }], "k\u0000": 1 },
      },
    });
    expect(found.map((error) => error.field)).toEqual([
      "$id",
      "$patch.labels.1",
      "$patch.customMetadata",
      "$patch.customMetadata.notes.1.deep",
    ]);
    expect(found[2]!.message).toBe(
      'Variable "$patch.customMetadata" has a key that contains a NUL byte (U+0000), which text fields cannot hold',
    );
  });

  it("checks variable defaults, and only the variables of the operation that runs", () => {
    const query = `
      query First($s: String = "d\\u0000") { models(search: $s) { totalCount } }
      query Second($t: String) { datasets(search: $t) { totalCount } }`;
    expect(fields(query, { t: "not used by First\u0000" }, "First").map((error) => error.field)).toEqual([
      "$s",
    ]);
    expect(fields(query, { t: "used\u0000" }, "Second").map((error) => error.field)).toEqual(["$t"]);
  });

  it("finds nothing in clean text, and leaves variables that do not fit their types to execution", () => {
    expect(fields('{ models(search: "tab\\tand é") { totalCount } }')).toEqual([]);
    expect(
      fields("query ($first: Int) { models(first: $first) { totalCount } }", { first: "x\u0000" }),
    ).toEqual([]);
  });

  it("walks JSON nested deeper than the call stack", () => {
    let deep: unknown = "bottom\u0000";
    for (let level = 0; level < 100_000; level += 1) deep = [deep];
    const query =
      'mutation ($patch: ModelVersionPatch!) { updateModelVersion(id: "x", patch: $patch) { id } }';
    expect(fields(query, { patch: { customMetadata: deep } })).toHaveLength(1);
  });
});

/** Every string argument a client can send, refused before it reaches the database. */
describe("a NUL byte in any text a client sends", () => {
  let gateway: TestGateway;
  let modelId: string;
  let versionId: string;
  let datasetVersionId: string;

  beforeAll(async () => {
    gateway = await startTestGateway();
    const version = await uploadModel(gateway, { slug: "nul-target" }, { "model.pt": "weights" });
    [modelId, versionId] = [version.model.id, version.id];
    const textures = await generateTextureDataset({ classes: 2, imagesPerClass: 2, seed: 10 });
    const dataset = await gateway.upload<{ uploadDataset: { version: { id: string } } }>(
      `mutation ($archive: Upload!) {
        uploadDataset(input: { name: "nul-target" }, archive: $archive, generateEmbeddings: false) { version { id } }
      }`,
      {},
      [{ variable: "archive", filename: "d.zip", content: await zipDatasetFiles(textures.files) }],
    );
    datasetVersionId = dataset.data!.uploadDataset.version.id;
  });
  afterAll(() => gateway?.stop());

  /** Rows of every kind the operations below could write, and the text of the rows they could change. */
  async function stored() {
    const { prisma } = gateway;
    return {
      rows: await gateway.rowCounts(),
      users: await prisma.user.count(),
      tokens: await prisma.apiToken.count(),
      datasetVersions: await prisma.datasetVersion.count(),
      classes: await prisma.datasetClass.count(),
      model: await prisma.model.findUniqueOrThrow({
        where: { id: modelId },
        select: { description: true, tags: true },
      }),
      version: await prisma.modelVersion.findUniqueOrThrow({
        where: { id: versionId },
        select: { labels: true, customMetadata: true },
      }),
    };
  }

  const cases: Array<[what: string, field: string, send: () => ReturnType<TestGateway["gql"]>]> = [
    ["a model search", "search", () => gateway.gql('{ models(search: "cat\\u0000") { totalCount } }')],
    [
      "a dataset search",
      "$search",
      () =>
        gateway.gql("query ($search: String) { datasets(search: $search) { totalCount } }", {
          search: "\u0000",
        }),
    ],
    ["a slug", "slug", () => gateway.gql('{ model(slug: "nul\\u0000target") { id } }')],
    [
      "an owner",
      "$owner",
      () =>
        gateway.gql('query ($owner: String) { model(slug: "nul-target", owner: $owner) { id } }', {
          owner: "admin\u0000",
        }),
    ],
    [
      "a tag in a filter",
      "$filter.tags.1",
      () =>
        gateway.gql("query ($filter: ModelFilter) { models(filter: $filter) { totalCount } }", {
          filter: { tags: ["ok", "t\u0000"] },
        }),
    ],
    [
      "a description",
      "$patch.description",
      () =>
        gateway.gql(
          "mutation ($id: ID!, $patch: ModelPatch!) { updateModel(id: $id, patch: $patch) { id } }",
          {
            id: modelId,
            patch: { description: "first line\u0000" },
          },
        ),
    ],
    [
      "a tag of a model",
      "patch.tags.1",
      () =>
        gateway.gql(`mutation { updateModel(id: "${modelId}", patch: { tags: ["a", "b\\u0000"] }) { id } }`),
    ],
    ["a token name", "name", () => gateway.gql('mutation { createApiToken(name: "ci\\u0000") { secret } }')],
    [
      "a user handle",
      "input.handle",
      () => gateway.gql('mutation { createUser(input: { handle: "h\\u0000" }) { id } }'),
    ],
    [
      "a label",
      "$patch.labels.0",
      () =>
        gateway.gql(
          "mutation ($id: ID!, $patch: ModelVersionPatch!) { updateModelVersion(id: $id, patch: $patch) { id } }",
          { id: versionId, patch: { labels: ["c\u0000t"] } },
        ),
    ],
    [
      "a custom metadata value",
      "$patch.customMetadata.owner.team",
      () =>
        gateway.gql(
          "mutation ($id: ID!, $patch: ModelVersionPatch!) { updateModelVersion(id: $id, patch: $patch) { id } }",
          { id: versionId, patch: { customMetadata: { owner: { team: "vision\u0000" } } } },
        ),
    ],
    [
      "a custom metadata key",
      "$patch.customMetadata",
      () =>
        gateway.gql(
          "mutation ($id: ID!, $patch: ModelVersionPatch!) { updateModelVersion(id: $id, patch: $patch) { id } }",
          { id: versionId, patch: { customMetadata: { "te\u0000am": "vision" } } },
        ),
    ],
    [
      "a class renamed",
      "to",
      () =>
        gateway.gql(
          `mutation { renameClass(datasetVersionId: "${datasetVersionId}", from: "red-stripes", to: "red\\u0000") { id } }`,
        ),
    ],
    [
      "classes merged",
      "classes.1",
      () =>
        gateway.gql(
          `mutation { mergeClasses(datasetVersionId: "${datasetVersionId}", classes: ["red-stripes", "g\\u0000"], into: "all") { id } }`,
        ),
    ],
    [
      "an embedding space",
      "$space",
      () =>
        gateway.gql(
          "query ($id: ID!, $space: String) { embeddings(datasetVersionId: $id, space: $space) { totalCount } }",
          { id: datasetVersionId, space: "feature\u0000" },
        ),
    ],
    [
      "the input of an upload",
      "$input.description",
      () =>
        gateway.upload(UPLOAD_MODEL, { input: { slug: "nul-upload", description: "d\u0000" } }, [
          { variable: "files.0", filename: "model.pt", content: Buffer.from("weights of a refused upload") },
        ]),
    ],
  ];

  it.each(cases)("refuses %s with BAD_USER_INPUT naming %s, storing nothing", async (_what, field, send) => {
    const before = await stored();
    const blobFiles = await gateway.blobFiles();
    const body = await send();
    expectError(body, "BAD_USER_INPUT", /contains a NUL byte \(U\+0000\)/);
    expect(body.errors![0]!.extensions!.field).toBe(field);
    expect(body.data ?? null).toBeNull();
    expect(await stored()).toEqual(before);
    expect(await gateway.blobFiles()).toEqual(blobFiles);
  });

  it("still runs the same operations with clean text", async () => {
    const body = await gateway.gql(
      "mutation ($id: ID!, $patch: ModelPatch!) { updateModel(id: $id, patch: $patch) { description } }",
      { id: modelId, patch: { description: "tab\tand newline\n are fine" } },
    );
    expect(body).toEqual({ data: { updateModel: { description: "tab\tand newline\n are fine" } } });
  });
});
