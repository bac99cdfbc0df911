import { ApolloServer } from "@apollo/server";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLUSTER_CHANNEL, ClusterBus } from "../../src/cluster/cluster-bus";
import { settleClusterPlugin } from "../../src/cluster/settle-plugin";
import { createLogger } from "../../src/logger";
import { createEmptyDatabase, onRealServer, type EmptyDatabase } from "../support/database";

const logger = createLogger({ level: "silent" });

let database: EmptyDatabase;
beforeAll(async () => {
  database = await createEmptyDatabase();
});
afterAll(() => database?.close());

describe.skipIf(!onRealServer)("a mutation's response and the cluster bus", () => {
  it("waits for the mutation's own messages only, not for another request's", async () => {
    // Long enough that a response waiting for the deploy's message could not come first.
    const bus = await ClusterBus.start(database.url, logger, { ackTimeoutMs: 30_000 });
    // Listens under a bus's name and never acknowledges: the deploy's message waits for it.
    const mute = new pg.Client({ connectionString: database.url, application_name: "tessera-cluster:mute" });
    await mute.connect();
    await mute.query(`LISTEN ${CLUSTER_CHANNEL}`);
    let published!: () => void;
    const deployPublished = new Promise<void>((resolve) => (published = resolve));
    let deployAcknowledged = false;
    const server = new ApolloServer({
      typeDefs: "type Query { ok: Boolean } type Mutation { deploy: Boolean rename: Boolean }",
      resolvers: {
        Mutation: {
          deploy: () => {
            void bus.publish("serving-changed", { modelId: "m1" }).then(() => (deployAcknowledged = true));
            published();
            return true;
          },
          rename: () => true,
        },
      },
      plugins: [settleClusterPlugin(bus)],
    });
    await server.start();
    try {
      let deployAnswered = false;
      const deploy = server
        .executeOperation({ query: "mutation { deploy }" })
        .then(() => (deployAnswered = true));
      await deployPublished;

      await server.executeOperation({ query: "mutation { rename }" });
      expect({ deployAcknowledged, deployAnswered }).toEqual({
        deployAcknowledged: false,
        deployAnswered: false,
      });

      // Stopping gives up the wait: the deploy answers, and only after its message was settled.
      await bus.stop();
      await deploy;
      expect(deployAcknowledged).toBe(true);
    } finally {
      await server.stop();
      await bus.stop();
      await mute.end();
    }
  });
});
