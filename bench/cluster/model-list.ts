import { deepStrictEqual } from "node:assert/strict";
import { GatewayClient } from "../registry/http-client";
import { seedBenchModels } from "../registry/model-list";
import type { Ratio } from "../lib/report";
import type { ClusterUnderTest } from "./cluster-under-test";
import { compareOneVsTwo, type SplitLoadOptions } from "./split-load";

const MODELS = 50;
const LIST = `
  query List {
    models(first: 50) {
      edges { node { id slug name versions { version files { path sizeBytes sha256 } } } }
    }
  }`;

interface ListAnswer {
  models: { edges: Array<{ node: { id: string } }> };
}

/**
 * `models(first: 50)` with versions and files, as registry.list asks it, over the 50 models × 2
 * versions × 3 files registry.list seeds (uploaded through A). Both replicas must answer the same
 * page before anything is timed.
 */
export async function benchReplicaModelList(
  cluster: ClusterUnderTest,
  options: SplitLoadOptions,
): Promise<Ratio> {
  const a = new GatewayClient(cluster.a.url, cluster.adminToken, options.clients);
  const b = new GatewayClient(cluster.b.url, cluster.adminToken, options.clients);
  try {
    await seedBenchModels(a);
    const [fromA, fromB] = await Promise.all([a.graphql<ListAnswer>(LIST), b.graphql<ListAnswer>(LIST)]);
    if (fromA.models.edges.length !== MODELS)
      throw new Error(
        `models(first: 50) on A returned ${fromA.models.edges.length} models; seeded ${MODELS}`,
      );
    deepStrictEqual(fromB, fromA, "B must list exactly what A lists");
    const list = (client: GatewayClient) => async () => {
      const answer = await client.graphql<ListAnswer>(LIST);
      if (answer.models.edges.length !== MODELS) throw new Error("models(first: 50) lost models under load");
    };
    return await compareOneVsTwo(
      cluster,
      "replicas.list",
      `replicas.list: models(first: 50) × 2 versions × 3 files`,
      options,
      { a: list(a), b: list(b) },
    );
  } finally {
    a.close();
    b.close();
  }
}
