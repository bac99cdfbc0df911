import DataLoader from "dataloader";
import type {
  Job as JobRow,
  PolicyEvaluation as EvaluationRow,
  PrismaClient,
  RetrainingRun as RunRow,
} from "../../generated/prisma/client";
import { byKey, groupBy } from "../../graphql/loader-results";

export interface PolicyPageKey {
  policyId: string;
  first: number;
}

type RunWithJob = RunRow & { job: Pick<JobRow, "status" | "errorCode" | "errorMessage"> };

const pageKey = (key: PolicyPageKey) => `${key.policyId}:${key.first}`;

/** One statement per relation per request, whatever the number of policies on the page. */
export function createRetrainingLoaders(prisma: PrismaClient) {
  return {
    /** The newest `first` evaluations of each policy. */
    policyEvaluations: new DataLoader<PolicyPageKey, EvaluationRow[], string>(
      async (keys) => {
        const ids = keys.map((key) => key.policyId);
        const most = Math.max(...keys.map((key) => key.first));
        const rows = await prisma.$queryRaw<EvaluationRow[]>`
          SELECT id, "policyId", at, "dryRun", fired, reasons, metrics FROM (
            SELECT e.*, row_number() OVER (PARTITION BY "policyId" ORDER BY at DESC, id DESC) AS position
            FROM "PolicyEvaluation" e WHERE "policyId" = ANY(${ids}::uuid[])) ranked
          WHERE position <= ${most} ORDER BY at DESC, id DESC`;
        return firstOfEach(keys, rows);
      },
      { cacheKeyFn: pageKey },
    ),
    /** The newest `first` runs of each policy, with their Job's status. */
    policyRuns: new DataLoader<PolicyPageKey, RunWithJob[], string>(
      async (keys) => {
        const ids = keys.map((key) => key.policyId);
        const most = Math.max(...keys.map((key) => key.first));
        const ranked = await prisma.$queryRaw<Array<{ id: string }>>`
          SELECT id::text FROM (
            SELECT id, row_number() OVER (PARTITION BY "policyId" ORDER BY "createdAt" DESC, id DESC) AS position
            FROM "RetrainingRun" WHERE "policyId" = ANY(${ids}::uuid[])) ranked
          WHERE position <= ${most}`;
        const rows = await prisma.retrainingRun.findMany({
          where: { id: { in: ranked.map((row) => row.id) } },
          include: { job: { select: { status: true, errorCode: true, errorMessage: true } } },
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        });
        return firstOfEach(keys, rows);
      },
      { cacheKeyFn: pageKey },
    ),
    runByEvaluationId: new DataLoader<string, RunWithJob | null>(async (ids) => {
      const rows = await prisma.retrainingRun.findMany({
        where: { evaluationId: { in: [...ids] } },
        include: { job: { select: { status: true, errorCode: true, errorMessage: true } } },
      });
      return byKey(ids, rows, (row) => row.evaluationId!);
    }),
  };
}

/** Each key's rows (in the rows' order), cut to the key's page size. */
function firstOfEach<T extends { policyId: string }>(
  keys: readonly PolicyPageKey[],
  rows: readonly T[],
): T[][] {
  return groupBy(
    keys.map((key) => key.policyId),
    rows,
    (row) => row.policyId,
  ).map((group, index) => group.slice(0, keys[index]!.first));
}
