import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { storedState, UPLOAD_MODEL, uploadModel, namedFiles, type VersionResult } from "./operations";

// Every size and count a client can set on the registry and its lists has an upper bound, named
// with the field in a BAD_USER_INPUT, and a request over it changes nothing.

const UPDATE_MODEL =
  "mutation ($id: ID!, $patch: ModelPatch!) { updateModel(id: $id, patch: $patch) { id } }";
const UPDATE_VERSION =
  "mutation ($id: ID!, $patch: ModelVersionPatch!) { updateModelVersion(id: $id, patch: $patch) { id } }";
const MODELS =
  "query ($search: String, $filter: ModelFilter, $first: Int) { models(search: $search, filter: $filter, first: $first) { totalCount } }";
const SIMILAR = "query ($sampleId: ID, $k: Int) { similarSamples(sampleId: $sampleId, k: $k) { distance } }";

const many = (count: number, make: (index: number) => unknown = (index) => `item-${index}`) =>
  Array.from({ length: count }, (_, index) => make(index));

let gateway: TestGateway;
let version: VersionResult;

beforeAll(async () => {
  gateway = await startTestGateway();
  version = await uploadModel(
    gateway,
    { slug: "bounded", labels: ["cat", "dog"] },
    { "model.pt": "weights" },
  );
});
afterAll(() => gateway?.stop());

/** [what, document, variables, field, message] */
type Refusal = [string, string, () => Record<string, unknown>, string, string];

const refusals: Refusal[] = [
  [
    "51 tags",
    UPDATE_MODEL,
    () => ({ id: version.model.id, patch: { tags: many(51) } }),
    "tags",
    "tags must have at most 50 entries, got 51",
  ],
  [
    "a tag of 65 characters",
    UPDATE_MODEL,
    () => ({ id: version.model.id, patch: { tags: ["ok", "t".repeat(65)] } }),
    "tags[1]",
    "tags[1] must be at most 64 characters long, got 65",
  ],
  [
    "a description of 10,001 characters",
    UPDATE_MODEL,
    () => ({ id: version.model.id, patch: { description: "d".repeat(10_001) } }),
    "description",
    "description must be at most 10000 characters long, got 10001",
  ],
  [
    "an algorithm name of 201 characters",
    UPDATE_MODEL,
    () => ({ id: version.model.id, patch: { algorithm: "a".repeat(201) } }),
    "algorithm",
    "algorithm must be at most 200 characters long, got 201",
  ],
  [
    "65,537 labels",
    UPDATE_VERSION,
    () => ({ id: version.id, patch: { labels: many(65_537) } }),
    "labels",
    "labels must have at most 65536 entries, got 65537",
  ],
  [
    "customMetadata over 64 KiB",
    UPDATE_VERSION,
    () => ({ id: version.id, patch: { customMetadata: { notes: "n".repeat(70_000) } } }),
    "customMetadata",
    "customMetadata must be at most 65536 bytes as JSON, got 70012",
  ],
  [
    "an inputShape over 64 KiB",
    UPDATE_VERSION,
    () => ({ id: version.id, patch: { inputShape: many(20_000, () => 1234) } }),
    "inputShape",
    "inputShape must be at most 65536 bytes as JSON, got 100001",
  ],
  [
    "501 dependencies",
    UPDATE_VERSION,
    () => ({ id: version.id, patch: { dependencies: many(501) } }),
    "dependencies",
    "dependencies must have at most 500 entries, got 501",
  ],
  [
    "a search of 201 characters",
    MODELS,
    () => ({ search: "s".repeat(201) }),
    "search",
    "search must be at most 200 characters long, got 201",
  ],
  [
    "a filter of 51 tags",
    MODELS,
    () => ({ filter: { tags: many(51) } }),
    "filter.tags",
    "filter.tags must have at most 50 entries, got 51",
  ],
  ["a page of 101", MODELS, () => ({ first: 101 }), "first", "first must be between 0 and 100, got 101"],
  [
    "k of 1001 in similarSamples",
    SIMILAR,
    () => ({ sampleId: randomUUID(), k: 1001 }),
    "k",
    "k must be between 1 and 1000, got 1001",
  ],
];

describe("registry fields and list arguments over their limits", () => {
  it.each(refusals)(
    "refuses %s with BAD_USER_INPUT naming the field, changing nothing",
    async (_case, document, variables, field, message) => {
      const before = await storedState(gateway);
      const stored = await gateway.prisma.modelVersion.findUniqueOrThrow({
        where: { id: version.id },
        include: { model: true },
      });
      const body = await gateway.gql(document, variables());
      expect(body.errors?.[0]).toMatchObject({ message, extensions: { code: "BAD_USER_INPUT", field } });
      expect(await storedState(gateway)).toEqual(before);
      expect(
        await gateway.prisma.modelVersion.findUniqueOrThrow({
          where: { id: version.id },
          include: { model: true },
        }),
      ).toEqual(stored);
    },
  );

  it("refuses an upload with 51 tags before storing any file", async () => {
    const before = await storedState(gateway);
    const body = await gateway.upload(
      UPLOAD_MODEL,
      { input: { slug: "tagged", tags: many(51) } },
      namedFiles({ "model.pt": "other weights" }),
    );
    expect(body.errors?.[0]).toMatchObject({
      message: "tags must have at most 50 entries, got 51",
      extensions: { code: "BAD_USER_INPUT", field: "tags" },
    });
    expect(await storedState(gateway)).toEqual(before);
  });
});
