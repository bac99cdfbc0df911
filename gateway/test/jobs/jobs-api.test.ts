import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/gateway";

let gateway: TestGateway;
let memberToken: string;
let adminId: string;
let memberId: string;

beforeAll(async () => {
  // No workers: the jobs stay as the test writes them.
  gateway = await startTestGateway({
    env: { TESSERA_TRAINING_WORKERS: "0", TESSERA_EMBEDDING_WORKERS: "0" },
  });
  memberToken = await gateway.createMember("member");
  adminId = (await gateway.prisma.user.findFirstOrThrow({ where: { handle: "admin" } })).id;
  memberId = (await gateway.prisma.user.findFirstOrThrow({ where: { handle: "member" } })).id;
});
afterAll(() => gateway?.stop());

/** Job rows of both kinds, alternating, oldest first. */
async function seedJobs(ownerId: string, count: number, from = 0) {
  for (let index = from; index < from + count; index++) {
    const training = index % 2 === 0;
    await gateway.prisma.job.create({
      data: {
        kind: training ? "train-model" : "embed-dataset-version",
        payload: training ? { trainingJobId: "x" } : { runId: "x", datasetVersionId: "y" },
        ownerId,
        maxAttempts: 3,
        status: index % 3 === 0 ? "RUNNING" : "QUEUED",
        progress: index / 100,
        phase: training ? "TRAINING" : "EMBEDDING",
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, index)),
      },
    });
  }
}

const LIST = `query ($first: Int, $after: String, $filter: JobFilter) {
  jobs(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id kind status owner { handle } progress { fraction phase done total } attempts maxAttempts error { code message } createdAt } }
  }
}`;

interface ListBody {
  jobs: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{
      node: {
        id: string;
        kind: string;
        status: string;
        owner: { handle: string };
        progress: { fraction: number };
      };
    }>;
  };
}

describe("jobs", () => {
  it("lists both kinds newest first with a constant number of SQL statements (10 jobs as for 50)", async () => {
    await seedJobs(adminId, 10);
    const statementsFor = async (first: number) => {
      gateway.sqlStatements.length = 0;
      const body = await gateway.gql<ListBody>(LIST, { first });
      expect(body.errors).toBeUndefined();
      return {
        count: gateway.sqlStatements.length,
        statements: [...gateway.sqlStatements],
        body: body.data!.jobs,
      };
    };
    const few = await statementsFor(50);
    expect(few.body.edges).toHaveLength(10);
    await seedJobs(adminId, 40, 10);
    const many = await statementsFor(50);
    expect(many.body.edges).toHaveLength(50);
    expect(new Set(many.body.edges.map((edge) => edge.node.kind))).toEqual(
      new Set(["TRAIN_MODEL", "EMBED_DATASET_VERSION"]),
    );
    expect(many.body.edges.every((edge) => edge.node.owner.handle === "admin")).toBe(true);
    const fractions = many.body.edges.map((edge) => edge.node.progress.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => b - a));
    expect(many.count, many.statements.join("\n")).toBe(few.count);
  });

  it("filters by kind and status, pages with cursors, and shows members only their own jobs", async () => {
    await seedJobs(memberId, 4, 100);
    const page = await gateway.gql<ListBody>(LIST, {
      first: 2,
      filter: { kind: ["TRAIN_MODEL"], owner: "member" },
    });
    expect(page.errors).toBeUndefined();
    expect(page.data!.jobs.totalCount).toBe(2);
    expect(page.data!.jobs.edges.map((edge) => edge.node.kind)).toEqual(["TRAIN_MODEL", "TRAIN_MODEL"]);
    const running = await gateway.gql<ListBody>(LIST, { first: 100, filter: { status: ["RUNNING"] } });
    expect(running.data!.jobs.edges.every((edge) => edge.node.status === "RUNNING")).toBe(true);
    const next = await gateway.gql<ListBody>(LIST, {
      first: 30,
      after: running.data!.jobs.pageInfo.endCursor,
    });
    expect(next.errors).toBeUndefined();

    const mine = await gateway.gql<ListBody>(LIST, { first: 100 }, memberToken);
    expect(mine.data!.jobs.totalCount).toBe(4);
    expect(mine.data!.jobs.edges.every((edge) => edge.node.owner.handle === "member")).toBe(true);
    // A member naming another owner sees nothing of theirs.
    const theirs = await gateway.gql<ListBody>(LIST, { first: 100, filter: { owner: "admin" } }, memberToken);
    expect(theirs.data!.jobs.totalCount).toBe(0);
    const anonymous = await gateway.gql(LIST, { first: 5 }, null);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("refuses bad list input with BAD_USER_INPUT and changes nothing", async () => {
    const before = await gateway.prisma.job.count();
    const tooMany = await gateway.gql(LIST, { first: 101 });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const badCursor = await gateway.gql(LIST, { first: 5, after: "nonsense" });
    expect(badCursor.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const manyStatuses = await gateway.gql(LIST, {
      filter: { status: Array.from({ length: 21 }, () => "QUEUED") },
    });
    expect(manyStatuses.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const badKind = await gateway.gql(LIST, { filter: { kind: ["MINE_BITCOIN"] } });
    expect(badKind.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(await gateway.prisma.job.count()).toBe(before);
  });

  it("finds and cancels a job for its owner; to others it does not exist", async () => {
    const job = await gateway.prisma.job.create({
      data: { kind: "embed-dataset-version", payload: { runId: "x" }, ownerId: memberId, maxAttempts: 3 },
    });
    const FIND = `query ($id: ID!) { job(id: $id) { id status kind } }`;
    expect((await gateway.gql(FIND, { id: job.id }, memberToken)).data).toEqual({
      job: { id: job.id, status: "QUEUED", kind: "EMBED_DATASET_VERSION" },
    });
    const strangerToken = await gateway.createMember("stranger");
    expect((await gateway.gql(FIND, { id: job.id }, strangerToken)).data).toEqual({ job: null });
    expect((await gateway.gql(FIND, { id: "not-a-uuid" }, memberToken)).data).toEqual({ job: null });

    const CANCEL = `mutation ($id: ID!) { cancelJob(id: $id) { id status error { code message } } }`;
    const refused = await gateway.gql(CANCEL, { id: job.id }, strangerToken);
    expect(refused.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect((await gateway.prisma.job.findUniqueOrThrow({ where: { id: job.id } })).status).toBe("QUEUED");

    const cancelled = await gateway.gql<{
      cancelJob: { status: string; error: { code: string; message: string } };
    }>(CANCEL, { id: job.id }, memberToken);
    expect(cancelled.data!.cancelJob).toMatchObject({
      status: "CANCELLED",
      error: { code: "CANCELLED", message: "Cancelled by member before it started" },
    });
    const again = await gateway.gql(CANCEL, { id: job.id }, memberToken);
    expect(again.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    // An admin may see it.
    expect((await gateway.gql(FIND, { id: job.id })).data).toMatchObject({ job: { status: "CANCELLED" } });
  });
});
