import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import { seedDataset } from "./seed-dataset";

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway?.stop());

const NESTED = `{
  datasets(first: 20) { edges { node {
    owner { handle }
    latestVersion {
      classes { name count }
      samples(first: 10) { edges { node { class { name } thumbnailUrl } } }
    }
  } } }
}`;

/**
 * One statement for the page of ids and the total, then one per relation: datasets, owners,
 * versions, class counts, and the samples of every latest version (one windowed statement, as all
 * ask for the same page).
 */
const STATEMENTS_PER_LIST = 6;

interface ListBody {
  datasets: {
    edges: Array<{
      node: {
        owner: { handle: string };
        latestVersion: { classes: Array<{ count: number }>; samples: { edges: unknown[] } };
      };
    }>;
  };
}

/** Statements of one anonymous request (no token to look up), and what it answered. */
async function statementsForList() {
  gateway.sqlStatements.length = 0;
  const body = await gateway.gql<ListBody>(NESTED, {}, null);
  expect(body.errors).toBeUndefined();
  const statements = [...gateway.sqlStatements];
  const nodes = body.data!.datasets.edges.map((e) => e.node);
  for (const node of nodes) {
    expect(node.owner.handle).toBe("admin");
    expect(node.latestVersion.classes.map((c) => c.count)).toEqual([5, 5, 3]);
    expect(node.latestVersion.samples.edges).toHaveLength(10);
  }
  return { count: statements.length, datasets: nodes.length, statements };
}

async function seed(from: number, to: number) {
  for (let index = from; index < to; index++) {
    await seedDataset(gateway, {
      ownerHandle: "admin",
      name: `set-${index}`,
      isPublic: true,
      withEdit: true,
    });
  }
}

describe("datasets(first: 20) with owners, latest versions, class counts and samples", () => {
  it("sends the same number of SQL statements for 2 datasets as for 6", async () => {
    await seed(0, 2);
    const few = await statementsForList();
    expect(few.datasets).toBe(2);

    await seed(2, 6);
    const many = await statementsForList();
    expect(many.datasets).toBe(6);

    expect(few.count, few.statements.join("\n")).toBe(STATEMENTS_PER_LIST);
    expect(many.count, many.statements.join("\n")).toBe(STATEMENTS_PER_LIST);
  });
});
