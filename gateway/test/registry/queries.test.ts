import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { expectError, uploadModel } from "./operations";

let gateway: TestGateway;
let alice: string;

/** Slugs of the listed models, leaving out the built-in models every registry starts with. */
const slugs = (body: { data?: ModelsAnswer | null }) =>
  body.data!.models.edges.filter(({ node }) => node.owner.handle !== "system").map(({ node }) => node.slug);

const MODELS = `query ($filter: ModelFilter, $search: String, $first: Int, $after: String, $orderBy: ModelOrder) {
  models(filter: $filter, search: $search, first: $first, after: $after, orderBy: $orderBy) {
    totalCount
    edges { cursor node { slug owner { handle } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

interface ModelsAnswer {
  models: {
    totalCount: number;
    edges: Array<{ cursor: string; node: { slug: string; owner: { handle: string } } }>;
    pageInfo: {
      hasNextPage: boolean;
      hasPreviousPage: boolean;
      startCursor: string | null;
      endCursor: string | null;
    };
  };
}

const list = (variables: Record<string, unknown>, token: string | null = alice) =>
  gateway.gql<ModelsAnswer>(MODELS, variables, token);

beforeAll(async () => {
  gateway = await startTestGateway();
  alice = await gateway.createMember("alice");
  const bob = await gateway.createMember("bob");
  // Created in this order; alice sees her own models and bob's public one.
  await uploadModel(
    gateway,
    {
      slug: "sentiment",
      name: "Sentiment classifier",
      description: "Reads movie reviews",
      modelType: "NLP",
      algorithm: "logistic regression",
      tags: ["nlp", "english"],
      isProductionReady: true,
    },
    { "model.pkl": "sentiment weights" },
    alice,
  );
  await uploadModel(
    gateway,
    {
      slug: "resnet-50",
      name: "ResNet 50",
      description: "Image classifier trained on ImageNet",
      modelType: "COMPUTER_VISION",
      tags: ["vision", "imagenet"],
    },
    { "model.pt": "resnet weights" },
    alice,
  );
  await uploadModel(
    gateway,
    {
      slug: "detector",
      name: "Object detector",
      description: "Finds objects with a resnet backbone",
      modelType: "DETECTION",
      tags: ["vision"],
    },
    { "model.pt": "detector weights" },
    alice,
  );
  await uploadModel(
    gateway,
    { slug: "bert-tiny", name: "BERT tiny", modelType: "NLP", tags: ["nlp"], isPublic: true },
    { "model.safetensors": "bert weights" },
    bob,
  );
  await uploadModel(gateway, { slug: "bob-private", tags: ["nlp"] }, { "model.pt": "private" }, bob);
});
afterAll(() => gateway?.stop());

describe("models: filters", () => {
  it("lists what the viewer may see, newest first by default", async () => {
    expect(slugs(await list({}))).toEqual(["bert-tiny", "detector", "resnet-50", "sentiment"]);
  });

  it("filters by framework", async () => {
    expect(slugs(await list({ filter: { framework: ["PYTORCH"] } }))).toEqual(["detector", "resnet-50"]);
    expect(slugs(await list({ filter: { framework: ["SKLEARN", "HUGGINGFACE"] } }))).toEqual([
      "bert-tiny",
      "sentiment",
    ]);
  });

  it("filters by model type", async () => {
    expect(slugs(await list({ filter: { modelType: ["NLP"] } }))).toEqual(["bert-tiny", "sentiment"]);
    expect(slugs(await list({ filter: { modelType: ["DETECTION", "COMPUTER_VISION"] } }))).toEqual([
      "detector",
      "resnet-50",
    ]);
  });

  it("keeps models carrying all of the given tags", async () => {
    expect(slugs(await list({ filter: { tags: ["vision"] } }))).toEqual(["detector", "resnet-50"]);
    expect(slugs(await list({ filter: { tags: ["vision", "imagenet"] } }))).toEqual(["resnet-50"]);
    expect(slugs(await list({ filter: { tags: ["nlp", "english"] } }))).toEqual(["sentiment"]);
    expect(slugs(await list({ filter: { tags: ["vision", "nlp"] } }))).toEqual([]);
  });

  it("filters by owner handle", async () => {
    expect(slugs(await list({ filter: { owner: "bob" } }))).toEqual(["bert-tiny"]);
    expect(slugs(await list({ filter: { owner: "bob" } }, gateway.adminToken))).toEqual([
      "bob-private",
      "bert-tiny",
    ]);
    expect(slugs(await list({ filter: { owner: "nobody" } }))).toEqual([]);
  });

  it("filters by whether a version is production-ready", async () => {
    expect(slugs(await list({ filter: { isProductionReady: true } }))).toEqual(["sentiment"]);
    expect(slugs(await list({ filter: { isProductionReady: false } }))).toEqual([
      "bert-tiny",
      "detector",
      "resnet-50",
    ]);
  });

  it("combines filters", async () => {
    const body = await list({ filter: { framework: ["PYTORCH"], tags: ["imagenet"], owner: "alice" } });
    expect(slugs(body)).toEqual(["resnet-50"]);
    expect(body.data!.models.totalCount).toBe(1);
  });
});

describe("models: search", () => {
  it("ranks a name match above a description match", async () => {
    const body = await list({ search: "resnet" });
    expect(slugs(body)).toEqual(["resnet-50", "detector"]);
    expect(body.data!.models.totalCount).toBe(2);
  });

  it("finds words in tags and algorithm, and prefixes of words", async () => {
    expect(slugs(await list({ search: "imagenet" }))).toEqual(["resnet-50"]);
    expect(slugs(await list({ search: "logistic" }))).toEqual(["sentiment"]);
    expect(slugs(await list({ search: "senti" }))).toEqual(["sentiment"]);
    expect(slugs(await list({ search: "classifier" }))).toEqual(["sentiment", "resnet-50"]);
  });

  it("treats punctuation as text, not as query syntax", async () => {
    const found: Record<string, string[]> = {};
    for (const search of ["res%", "%", "_", "!", "'", "\\", "a & b | !c", '\'); DROP TABLE "Model"; --']) {
      const body = await list({ search });
      expect(body.errors, search).toBeUndefined();
      found[search] = slugs(body);
    }
    expect(found).toEqual({
      "res%": ["resnet-50", "detector"],
      "%": [],
      _: [],
      "!": [],
      "'": [],
      "\\": [],
      "a & b | !c": [],
      '\'); DROP TABLE "Model"; --': [],
    });
    expect(slugs(await list({ search: "ResNet 50" }))).toEqual(["resnet-50"]);
  });

  it("orders by name when asked, even with a search", async () => {
    expect(slugs(await list({ search: "resnet", orderBy: "NAME_ASC" }))).toEqual(["detector", "resnet-50"]);
    expect(slugs(await list({ orderBy: "NAME_DESC" }))).toEqual([
      "sentiment",
      "resnet-50",
      "detector",
      "bert-tiny",
    ]);
    expect(slugs(await list({ orderBy: "CREATED_ASC" }))).toEqual([
      "sentiment",
      "resnet-50",
      "detector",
      "bert-tiny",
    ]);
  });

  it("refuses RELEVANCE order without a search", async () => {
    expectError(await list({ orderBy: "RELEVANCE" }), "BAD_USER_INPUT", "orderBy RELEVANCE needs a search");
  });
});

describe("models: pagination", () => {
  // alice's own models, so the built-in models every registry has do not shift the pages.
  const alicePage = (variables: Record<string, unknown>) =>
    list({ filter: { owner: "alice" }, orderBy: "NAME_ASC", ...variables });

  it("pages with first/after and reports the total", async () => {
    const first = await alicePage({ first: 2 });
    expect(slugs(first)).toEqual(["detector", "resnet-50"]);
    expect(first.data!.models.totalCount).toBe(3);
    expect(first.data!.models.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const { endCursor } = first.data!.models.pageInfo;
    expect(endCursor).toBe(first.data!.models.edges[1]!.cursor);

    const second = await alicePage({ first: 2, after: endCursor });
    expect(slugs(second)).toEqual(["sentiment"]);
    expect(second.data!.models.totalCount).toBe(3);
    expect(second.data!.models.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    const past = await alicePage({ first: 2, after: second.data!.models.pageInfo.endCursor });
    expect(past.data!.models).toEqual({
      totalCount: 3,
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null },
    });
  });

  it("answers first: 0 with the total only", async () => {
    const body = await alicePage({ first: 0 });
    expect(body.data!.models.edges).toEqual([]);
    expect(body.data!.models.totalCount).toBe(3);
  });

  it("refuses a page size out of range and a cursor it did not issue", async () => {
    expectError(await list({ first: 101 }), "BAD_USER_INPUT", "first must be between 0 and 100, got 101");
    expectError(await list({ first: -1 }), "BAD_USER_INPUT");
    expectError(
      await list({ after: "not-a-cursor" }),
      "BAD_USER_INPUT",
      '"after" is not a cursor this API issued',
    );
  });
});

describe("model", () => {
  const MODEL = `query ($id: ID, $owner: String, $slug: String) {
    model(id: $id, owner: $owner, slug: $slug) { id slug owner { handle } }
  }`;

  it("finds a model by slug (the caller's by default), by owner and slug, and by id", async () => {
    const own = await gateway.gql<{ model: { id: string } }>(MODEL, { slug: "resnet-50" }, alice);
    expect(own.data!.model).toMatchObject({ slug: "resnet-50", owner: { handle: "alice" } });
    expect(await gateway.gql(MODEL, { owner: "bob", slug: "bert-tiny" }, alice)).toMatchObject({
      data: { model: { slug: "bert-tiny", owner: { handle: "bob" } } },
    });
    expect(await gateway.gql(MODEL, { id: own.data!.model.id }, alice)).toMatchObject({
      data: { model: { slug: "resnet-50" } },
    });
    // Another owner's slug is not the caller's.
    expect(await gateway.gql(MODEL, { slug: "bert-tiny" }, alice)).toEqual({ data: { model: null } });
  });

  it("answers null for an id that names nothing", async () => {
    expect(await gateway.gql(MODEL, { id: "not-a-uuid" }, alice)).toEqual({ data: { model: null } });
    expect(await gateway.gql(MODEL, { id: "00000000-0000-4000-8000-000000000000" }, alice)).toEqual({
      data: { model: null },
    });
  });

  it("needs an id or a slug", async () => {
    expectError(
      await gateway.gql(MODEL, { owner: "alice" }, alice),
      "BAD_USER_INPUT",
      'Give either "id", or "slug"',
    );
  });
});
