import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { uploadModel, VERSION_FIELDS, type VersionResult } from "./operations";

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway?.stop());

const NESTED = `{
  models(first: 50, filter: { owner: "admin" }) {
    totalCount
    edges { node { slug owner { handle } versions { version files { path } aliases deployment { state } } aliases { alias } } }
  }
}`;

/**
 * One statement for the page of ids, one for the total, then one per relation: models, owners,
 * versions, files, aliases of the versions, deployments of the versions, aliases of the models.
 */
const STATEMENTS_PER_LIST = 7;

/** Public models with 2 versions of 2 files each, the second version aliased. */
async function createModels(from: number, to: number) {
  for (let index = from; index < to; index++) {
    const slug = `model-${String(index).padStart(2, "0")}`;
    await uploadModel(gateway, { slug, isPublic: true }, { "model.pt": `${slug} v1`, "config.json": "{}" });
    const v2 = await uploadModel(gateway, { slug }, { "model.pt": `${slug} v2`, "config.json": "{}" });
    await gateway.gql(
      'mutation ($m: ID!, $v: ID!) { setModelAlias(modelId: $m, alias: "production", versionId: $v) { id } }',
      {
        m: v2.model.id,
        v: v2.id,
      },
    );
  }
}

/**
 * SQL statements the gateway sends for one anonymous list (no token lookup to count), of admin's
 * models only (the built-in models every registry starts with are left out).
 */
async function statementsForList(): Promise<{ count: number; models: number; statements: string[] }> {
  gateway.sqlStatements.length = 0;
  const body = await gateway.gql<{
    models: {
      totalCount: number;
      edges: Array<{ node: { versions: Array<{ files: unknown[]; aliases: string[] }> } }>;
    };
  }>(NESTED, {}, null);
  expect(body.errors).toBeUndefined();
  const statements = [...gateway.sqlStatements];
  const { edges } = body.data!.models;
  for (const { node } of edges) {
    expect(node.versions.map((v) => [v.files.length, v.aliases])).toEqual([
      [2, ["production"]],
      [2, []],
    ]);
  }
  return { count: statements.length, models: edges.length, statements };
}

describe("models(first: 50) with owners, versions, files and aliases", () => {
  it("sends the same number of SQL statements for 2 models as for 10", async () => {
    await createModels(0, 2);
    const few = await statementsForList();
    expect(few.models).toBe(2);

    await createModels(2, 10);
    const many = await statementsForList();
    expect(many.models).toBe(10);

    expect(few.count, few.statements.join("\n")).toBe(STATEMENTS_PER_LIST);
    expect(many.count, many.statements.join("\n")).toBe(STATEMENTS_PER_LIST);
  });
});

describe("models { totalCount }", () => {
  it("is one count that reads no model row, sorts nothing and pages nothing", async () => {
    await createModels(10, 12);
    const total = await gateway.prisma.model.count({ where: { isPublic: true } });
    gateway.sqlStatements.length = 0;
    const body = await gateway.gql("{ models(first: 5) { totalCount } }", {}, null);
    expect(body).toEqual({ data: { models: { totalCount: total } } });
    expect(gateway.sqlStatements).toHaveLength(1);
    const [count] = gateway.sqlStatements;
    expect(count).toMatch(/^\s*SELECT count\(\*\) AS total FROM "Model" m WHERE/);
    expect(count).not.toMatch(/OVER|ORDER BY|LIMIT/);
  });

  it("pages without counting: a page of edges and pageInfo is one statement for the ids", async () => {
    gateway.sqlStatements.length = 0;
    const body = await gateway.gql<{
      models: { edges: Array<{ cursor: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } };
    }>("{ models(first: 3) { edges { cursor } pageInfo { hasNextPage endCursor } } }", {}, null);
    expect(body.data?.models.edges).toHaveLength(3);
    expect(body.data?.models.pageInfo).toEqual({
      hasNextPage: true,
      endCursor: body.data!.models.edges[2]!.cursor,
    });
    expect(gateway.sqlStatements.filter((sql) => /count\(\*\)/.test(sql))).toEqual([]);
  });
});

describe("models(first: 50) read with versions and files in one statement", () => {
  it("answers every field of every version exactly as the version read alone does", async () => {
    const rich = await uploadModel(
      gateway,
      { slug: "rich-metadata", description: "naïve — ünïcode\u2028line" },
      { "weights.bin": "w", "config.json": "{}", "README.md": "r", "_notes.txt": "n" },
    );
    await gateway.prisma.modelVersion.update({
      where: { id: rich.id },
      data: {
        inputs: [
          {
            name: "x",
            dataType: "FLOAT32",
            shape: [-1, 3, 224, 224],
            dimensions: ["batch", "3", "224", "224"],
          },
        ],
        outputs: [{ name: "y", dataType: "FLOAT32", shape: [-1, 10], dimensions: ["batch", "10"] }],
        inputShape: [1, 3, 224, 224],
        opset: 17,
        // Above 2^53: both paths must round it the same way.
        numParameters: 9_007_199_254_740_993n,
        labels: ["cat", 'dog, "quoted"', "{braced}"],
        trainingAccuracy: 0.1 + 0.2,
        validationAccuracy: 1e-300,
        testAccuracy: 0.875,
        trainingLoss: 123456.789012345,
        metricsExtra: { f1: 0.5, nested: { at: [1, "two", null] } },
        pythonVersion: "3.12",
        dependencies: ["torch==2.5", "numpy"],
        hardwareRequirements: { gpu: false },
        customMetadata: { big: 2 ** 60, text: 'é\\ "q"' },
        validation: "VALID",
      },
    });
    const LIST_ALL = `{
      models(first: 50, filter: { owner: "admin" }) {
        edges { node { id createdAt updatedAt versions { createdAt updatedAt ${VERSION_FIELDS} } } }
      }
    }`;
    const listed = await gateway.gql<{
      models: { edges: Array<{ node: { versions: Array<VersionResult & { id: string }> } }> };
    }>(LIST_ALL);
    expect(listed.errors).toBeUndefined();
    const versions = listed.data!.models.edges.flatMap((edge) => edge.node.versions);
    expect(versions.map((v) => v.id)).toContain(rich.id);
    for (const version of versions) {
      const alone = await gateway.gql<{ modelVersion: unknown }>(
        `query ($id: ID!) { modelVersion(id: $id) { createdAt updatedAt ${VERSION_FIELDS} } }`,
        { id: version.id },
      );
      expect(version).toEqual(alone.data!.modelVersion);
    }
  });
});
