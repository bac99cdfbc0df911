import { ApolloClient, InMemoryCache } from "@apollo/client";
import { typePolicies } from "../../../src/api/type-policies";
import { answeringLink, type Answer, type FakeGraphQLServer } from "../fake-graphql-server";

/** A fake server whose client caches as the dashboard's does (the `jobs` pages merge). */
export function fakeJobsServer(answers: Record<string, Answer>): FakeGraphQLServer {
  const calls: FakeGraphQLServer["calls"] = [];
  return {
    client: new ApolloClient({
      link: answeringLink(answers, calls),
      cache: new InMemoryCache({ typePolicies }),
    }),
    calls,
  };
}

export const viewer = (role: "ADMIN" | "MEMBER", handle = role === "ADMIN" ? "admin" : "ada") => ({
  data: {
    me: { __typename: "User", id: `u-${handle}`, handle, displayName: null, email: null, role },
  },
});

/** A Job as the API answers it: a training job of ada's by default. */
export function job(id: string, overrides: Record<string, unknown> = {}) {
  return {
    __typename: "Job",
    id,
    kind: "TRAIN_MODEL",
    status: "RUNNING",
    payload: { trainingJobId: id },
    attempts: 1,
    maxAttempts: 3,
    cancelRequested: false,
    createdAt: "2026-03-01T10:00:00.000Z",
    startedAt: "2026-03-01T10:00:01.000Z",
    finishedAt: null,
    owner: { __typename: "User", id: "u-ada", handle: "ada" },
    progress: { __typename: "JobProgress", fraction: 0.5, phase: "training", done: 3, total: 6 },
    error: null,
    parent: null,
    ...overrides,
  };
}

/** An embedding job of dataset version `versionId`. */
export function embeddingJob(id: string, versionId: string, overrides: Record<string, unknown> = {}) {
  return job(id, {
    kind: "EMBED_DATASET_VERSION",
    payload: { runId: `run-${id}`, datasetVersionId: versionId },
    progress: { __typename: "JobProgress", fraction: 0.25, phase: "embedding", done: 30, total: 120 },
    ...overrides,
  });
}

export function jobsPage(
  nodes: unknown[],
  {
    offset = 0,
    hasNextPage = false,
    totalCount = nodes.length,
  }: { offset?: number; hasNextPage?: boolean; totalCount?: number } = {},
) {
  const edges = nodes.map((node, index) => ({
    __typename: "JobEdge",
    cursor: `c-${offset + index + 1}`,
    node,
  }));
  return {
    data: {
      jobs: {
        __typename: "JobConnection",
        totalCount,
        pageInfo: { __typename: "PageInfo", endCursor: edges.at(-1)?.cursor ?? null, hasNextPage },
        edges,
      },
    },
  };
}

/** What the subject lookups answer: ada's training job "colours", dataset version "flowers v3". */
export const subjectAnswers: Record<string, Answer> = {
  JobTrainingSubject: ({ id }) => ({
    data: {
      trainingJob: {
        __typename: "TrainingJob",
        id,
        targetModelSlug: "colours",
        owner: { __typename: "User", id: "u-ada", handle: "ada" },
      },
    },
  }),
  JobDatasetVersionSubject: ({ id }) => ({
    data: {
      datasetVersion:
        id === "dv-gone"
          ? null
          : {
              __typename: "DatasetVersion",
              id,
              number: 3,
              dataset: { __typename: "Dataset", id: "ds-flowers", name: "flowers" },
            },
    },
  }),
};
