import os from "node:os";
import { createClient } from "graphql-ws";
import pg from "pg";
import WebSocket from "ws";
import { toJobEvent } from "../../gateway/src/jobs/job-event.types";
import { generateTextureDataset, zipDatasetFiles } from "../../gateway/test/support/texture-dataset";
import { latencies } from "../lib/measure";
import { formatNumber, printTable, type Ratio } from "../lib/report";
import type { ClusterUnderTest } from "./cluster-under-test";
import { replicaClient } from "./graphql-client";

const FOLLOW_TIMEOUT_MS = 180_000;

export interface JobEventsOptions {
  epochs: number;
}

interface Delivered {
  seq: number;
  typename: string;
  receivedAt: number;
  at: number;
}

interface StoredEvent {
  seq: number;
  type: string;
  payload: unknown;
  createdAt: Date;
}

/**
 * A training job started through A and run by the worker process, followed with `jobEvents` on B
 * (graphql-ws) from the moment startTraining answers. What B delivered after its first event (the
 * job's state when the subscription started, which carries the last seq so far) is compared with
 * the job's stored log after that seq, with the records `jobEvents` does not show left out: every
 * one must arrive once, in order. Latency: an event's stored createdAt → its arrival at B.
 */
export async function benchReplicaJobEvents(
  cluster: ClusterUnderTest,
  options: JobEventsOptions,
): Promise<Ratio> {
  const a = replicaClient(cluster.a.url, cluster.adminToken);
  const dataset = await generateTextureDataset({ classes: 3, imagesPerClass: 12, seed: 16 });
  const uploaded = await a.graphql<{ uploadDataset: { version: { id: string } } }>(
    `mutation ($input: DatasetInput!, $archive: Upload!) {
      uploadDataset(input: $input, archive: $archive, generateEmbeddings: false) { version { id } }
    }`,
    { input: { name: "bench-replicas-events" }, archive: null },
    { archive: ["bench-replicas-events.zip", await zipDatasetFiles(dataset.files)] },
  );
  const base = await a.graphql<{ model: { versions: Array<{ id: string; version: string }> } }>(
    '{ model(owner: "system", slug: "feature-embedder") { versions { id version } } }',
    {},
  );
  const baseVersion =
    base.model.versions.find((version) => version.version === "v1") ?? base.model.versions[0]!;
  const eventQuery = await jobEventsQuery(a);

  const started = await a.graphql<{ startTraining: { id: string } }>(
    "mutation ($input: TrainingInput!) { startTraining(input: $input) { id } }",
    {
      input: {
        datasetVersionId: uploaded.uploadDataset.version.id,
        baseModelVersionId: baseVersion.id,
        targetModelSlug: "bench-replicas-events",
        epochs: options.epochs,
      },
    },
  );
  const jobId = started.startTraining.id;
  const delivered = await follow(cluster.b.url, cluster.adminToken, eventQuery, jobId);
  const { kind, status, stored } = await storedLog(cluster.databaseUrl, jobId);

  const [snapshot, ...after] = delivered;
  if (!snapshot || snapshot.typename !== "JobSnapshotEvent")
    throw new Error(`B's first jobEvents event was ${snapshot?.typename ?? "nothing"}, not the job's state`);
  const expected = stored.filter(
    (event) => event.seq > snapshot.seq && toJobEvent({ jobId, ...event }, kind) !== null,
  );
  const hidden = stored.filter((event) => event.seq > snapshot.seq).length - expected.length;
  const deliveredSeqs = after.map((event) => event.seq);
  const expectedSeqs = expected.map((event) => event.seq);
  const duplicates = deliveredSeqs.length - new Set(deliveredSeqs).size;
  const outOfOrder = deliveredSeqs.filter(
    (seq, index) => index > 0 && seq <= deliveredSeqs[index - 1]!,
  ).length;
  const missing = expectedSeqs.filter((seq) => !deliveredSeqs.includes(seq)).length;
  const unexpected = deliveredSeqs.filter((seq) => !expectedSeqs.includes(seq)).length;
  const exact = JSON.stringify(deliveredSeqs) === JSON.stringify(expectedSeqs);
  const millis = after.map((event) => event.receivedAt - event.at);
  const latency = latencies(millis);
  const byType = countBy(after.map((event) => event.typename));

  printTable(
    `replicas.events: a ${kind} job (${options.epochs} epochs) queued on A, run by the worker process, ` +
      "followed with jobEvents on B",
    [
      "stored after the first event",
      "delivered on B",
      "once, in order",
      "duplicates",
      "out of order",
      "missing",
      "p50 ms",
      "p99 ms",
      "max ms",
      "load",
    ],
    [
      [
        `${expected.length} (from seq ${snapshot.seq + 1}; ${hidden} not shown by jobEvents)`,
        String(after.length),
        exact ? "yes" : "NO",
        String(duplicates),
        String(outOfOrder),
        String(missing + unexpected),
        formatNumber(latency.p50),
        formatNumber(latency.p99),
        formatNumber(Math.max(...millis)),
        os.loadavg()[0]!.toFixed(2),
      ],
    ],
  );
  console.log(`the job ended ${status}; delivered on B by type: ${byType}`);
  if (!exact) {
    throw new Error(
      `jobEvents on B did not deliver the stored log exactly once, in order:\n` +
        `  stored:    ${expectedSeqs.join(",")}\n  delivered: ${deliveredSeqs.join(",")}`,
    );
  }
  return {
    name: "replicas.events",
    subject: { label: "delivered on B once, in order", value: after.length, unit: "events" },
    baseline: { label: "stored in the job's log", value: expected.length, unit: "events" },
    note: `createdAt → B p50 ${formatNumber(latency.p50)} ms, p99 ${formatNumber(latency.p99)} ms; must be exactly 1`,
  };
}

/** `subscription ($jobId) { jobEvents { … on <member> { seq at } } }` over every member of the union. */
async function jobEventsQuery(client: ReturnType<typeof replicaClient>): Promise<string> {
  const { __type } = await client.graphql<{ __type: { possibleTypes: Array<{ name: string }> } }>(
    '{ __type(name: "JobEvent") { possibleTypes { name } } }',
    {},
  );
  const members = __type.possibleTypes.map(({ name }) => `... on ${name} { seq at }`).join(" ");
  return `subscription ($jobId: ID!) { jobEvents(jobId: $jobId) { __typename ${members} } }`;
}

function follow(url: string, token: string, query: string, jobId: string): Promise<Delivered[]> {
  const client = createClient({
    url: `${url.replace(/^http/, "ws")}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  const delivered: Delivered[] = [];
  let timer: NodeJS.Timeout | undefined;
  return new Promise<Delivered[]>((resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(`the job did not end within ${FOLLOW_TIMEOUT_MS} ms (${delivered.length} events so far)`),
        ),
      FOLLOW_TIMEOUT_MS,
    );
    client.subscribe<{ jobEvents: { __typename: string; seq: number; at: string } }>(
      { query, variables: { jobId } },
      {
        next: (result) => {
          const receivedAt = performance.timeOrigin + performance.now();
          const event = result.data?.jobEvents;
          if (!event) return reject(new Error(`subscription error: ${JSON.stringify(result.errors)}`));
          delivered.push({
            seq: event.seq,
            typename: event.__typename,
            receivedAt,
            at: Date.parse(event.at),
          });
        },
        error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => resolve(delivered),
      },
    );
  }).finally(() => {
    clearTimeout(timer);
    void client.dispose();
  });
}

async function storedLog(
  databaseUrl: string,
  jobId: string,
): Promise<{ kind: string; status: string; stored: StoredEvent[] }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const job = await client.query<{ kind: string; status: string }>(
      `SELECT kind, status::text FROM "Job" WHERE id = $1`,
      [jobId],
    );
    const events = await client.query<StoredEvent>(
      `SELECT seq, type, payload, "createdAt" FROM "JobEvent" WHERE "jobId" = $1 ORDER BY seq`,
      [jobId],
    );
    return { kind: job.rows[0]!.kind, status: job.rows[0]!.status, stored: events.rows };
  } finally {
    await client.end();
  }
}

function countBy(values: string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, count]) => `${value} ${count}`).join(", ");
}
