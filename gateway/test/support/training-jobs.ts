import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient } from "../../src/generated/prisma/client";
import { trainingJobKind } from "../../src/training/training-job-kind";

export type TrainingJobFields = Omit<Prisma.TrainingJobUncheckedCreateInput, "id"> & { id?: string };

/** Lifecycle fields of the Job row (status, attempts, …); kind, payload and owner follow the training row. */
export type JobFields = Partial<Omit<Prisma.JobUncheckedCreateInput, "id" | "kind" | "payload" | "ownerId">>;

/**
 * A training job stored straight in the database, as the API would store one but without
 * queueing it: its Job row (kind "train-model", which holds the lifecycle) and the TrainingJob
 * row of the same id. Returns the training row with its Job.
 */
export async function insertTrainingJob(
  prisma: PrismaClient,
  training: TrainingJobFields,
  job: JobFields = {},
) {
  const id = training.id ?? randomUUID();
  return prisma.$transaction(async (tx) => {
    await tx.job.create({
      data: {
        maxAttempts: trainingJobKind.maxAttempts,
        payloadVersion: trainingJobKind.payloadVersion,
        ...job,
        id,
        kind: trainingJobKind.name,
        payload: { trainingJobId: id },
        ownerId: training.ownerId,
      },
    });
    return tx.trainingJob.create({ data: { ...training, id }, include: { job: true } });
  });
}
