// A stand-in for a worker process: appends a job's progress events from its own process, one
// every INTERVAL_MS, then its SUCCEEDED state. Run by cross-process-events.test.ts.
import { createPrisma } from "../../src/db/prisma";
import { JobEventLog } from "../../src/jobs/job-event-log";
import { createLogger } from "../../src/logger";

const [url, jobId, count, intervalMs] = process.argv.slice(2);
const prisma = createPrisma(url!);
const log = new JobEventLog(prisma, createLogger({ level: "silent" }));
const total = Number(count);
for (let index = 1; index <= total; index++) {
  await new Promise((resolve) => setTimeout(resolve, Number(intervalMs)));
  await log.append(jobId!, "progress", {
    status: "RUNNING",
    fraction: index / total,
    phase: "STEP",
    done: index,
    total,
  });
}
await log.append(jobId!, "state", { status: "SUCCEEDED", attempt: 1, error: null, result: null });
await prisma.$disconnect();
