import { randomUUID } from "node:crypto";
import type { FileUpload } from "graphql-upload-minimal";
import type { BlobReferences } from "../blobs/blob-references";
import type { ReconstructionConfig } from "../config";
import { badInput, notFound } from "../errors";
import type {
  Job as JobRow,
  Prisma,
  PrismaClient,
  Reconstruction as ReconstructionRow,
} from "../generated/prisma/client";
import { isUuid } from "../graphql/ids";
import { incomingUpload } from "../graphql/uploads";
import type { JobsService } from "../jobs/jobs.service";
import { snapshotOf } from "../jobs/jobs.service";
import { mapRecords } from "../jobs/map-records";
import type { BlobStore, StoredBlob } from "../storage/blob-store";
import { canSee, requireViewer, type Viewer } from "../users/access";
import { isForeignKeyViolation } from "../users/users.service";
import { readAll } from "./worker/reconstruct-request";
import {
  checkMethodInputs,
  checkPrompt,
  modelToRun,
  sampleImage,
  sceneToReconstruct,
} from "./reconstruction-checks";
import { ReconstructionEventView } from "./reconstruction-events.types";
import { reconstructionJobKind } from "./reconstruction-job-kind";
import { toReconstruction, type ReconstructionWithJob } from "./reconstruction-rows";
import { checkMemory, resolveSettings } from "./reconstruction-settings";
import type { ReconstructionFilter, ReconstructionInput } from "./reconstruction.inputs";
import type { Reconstruction } from "./reconstructions.types";

export interface ReconstructionLimits extends ReconstructionConfig {
  /** Largest uploaded image (TESSERA_MAX_IMAGE_BYTES). */
  maxImageBytes: number;
}

/** Starting, cancelling, finding, listing and following reconstructions; workers run them. */
export class ReconstructionsService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: BlobStore,
    private readonly references: BlobReferences,
    private readonly jobs: JobsService,
    private readonly limits: ReconstructionLimits,
  ) {}

  /**
   * Checks everything that can be checked before queueing (inputs of the method, settings and
   * their memory estimate, the scene, the model and its deployment, the prompt), stores an
   * uploaded image last, then the Job and the Reconstruction (same id) in one transaction. A
   * refused request leaves no row, no job and no blob behind.
   */
  async start(viewer: Viewer | null, input: ReconstructionInput): Promise<Reconstruction> {
    const user = requireViewer(viewer);
    const { method } = input;
    checkMethodInputs(method, input);
    const prompt = checkPrompt(input.prompt);
    const scene =
      method === "RADIANCE_FIELD" ? await sceneToReconstruct(this.prisma, user, input.sceneId!) : null;
    const settings = resolveSettings(input.settings, {
      background: scene?.background ?? "#ffffff",
      threads: this.limits.threads,
    });
    // The scene's photos were composited on its background at upload: a field trained on another
    // colour would learn that colour into the object's edges.
    if (scene && settings.background !== scene.background.toLowerCase()) {
      throw badInput(
        `settings.background must be the scene's background, "${scene.background.toLowerCase()}" ` +
          `(its photos were composited on it); leave it out to use it`,
        { field: "settings.background" },
      );
    }
    if (scene) checkMemory(settings, scene, this.limits.maxBytes);
    const modelVersionId =
      method === "RADIANCE_FIELD" ? null : await modelToRun(this.prisma, user, method, input.modelVersionId);
    const sample = input.sampleId ? await sampleImage(this.prisma, user, input.sampleId) : null;
    const upload = input.image ? await this.storeImage(input.image) : null;
    const id = randomUUID();
    try {
      await this.prisma.$transaction(async (tx) => {
        if (upload) await this.references.record(tx, [upload], { ownerId: user.id });
        await this.jobs.enqueue(tx, reconstructionJobKind, {
          id,
          ownerId: user.id,
          payload: { reconstructionId: id },
          startedByUser: true,
        });
        await tx.reconstruction.create({
          data: {
            id,
            ownerId: user.id,
            method,
            sceneId: scene?.id ?? null,
            modelVersionId,
            inputSha256: upload?.sha256 ?? sample?.sha256 ?? null,
            inputSampleId: sample?.sampleId ?? null,
            prompt,
            settings: settings as unknown as Prisma.InputJsonValue,
          },
        });
      });
    } catch (error) {
      if (upload?.created) await this.references.release([upload.sha256]);
      // The scene (or model version) was deleted between the checks and this insert.
      if (isForeignKeyViolation(error)) throw notFound(scene ? `Scene ${scene.id}` : "The model version");
      throw error;
    }
    this.jobs.queued(reconstructionJobKind);
    return toReconstruction(await this.row(id));
  }

  /** QUEUED: cancelled at once. RUNNING: the tier's run stops within a second. Finished: CONFLICT. */
  async cancel(viewer: Viewer | null, id: string): Promise<Reconstruction> {
    const user = requireViewer(viewer);
    const visible = await this.find(user, id);
    if (!visible) throw notFound(`Reconstruction ${id}`);
    await this.jobs.cancel(user, id, { what: "Reconstruction" });
    return toReconstruction(await this.row(id));
  }

  /** The reconstruction, or null when it does not exist or is not the viewer's (admins see all). */
  async find(viewer: Viewer | null, id: string): Promise<Reconstruction | null> {
    if (!isUuid(id)) return null;
    const row = await readWithJob(this.prisma, id);
    return row && canSee(viewer, { ownerId: row.ownerId, isPublic: false }) ? toReconstruction(row) : null;
  }

  /** The viewer's reconstructions (an admin's: everyone's), newest first. */
  async list(
    viewer: Viewer | null,
    filter: ReconstructionFilter | null | undefined,
    page: { offset: number; limit: number },
  ): Promise<{ nodes: Reconstruction[]; totalCount: number }> {
    const user = requireViewer(viewer);
    const where: Prisma.ReconstructionWhereInput = {
      ...(user.role === "ADMIN" ? {} : { ownerId: user.id }),
      ...(filter?.method ? { method: { in: filter.method } } : {}),
      ...(filter?.status ? { job: { status: { in: filter.status } } } : {}),
      ...(filter?.sceneId ? { sceneId: isUuid(filter.sceneId) ? filter.sceneId : randomUUID() } : {}),
    };
    const [jobs, totalCount] = await Promise.all([
      // Read from the job's side: see readWithJob.
      this.prisma.job.findMany({
        where: { reconstruction: where },
        include: { reconstruction: true },
        orderBy: [{ reconstruction: { createdAt: "desc" } }, { id: "desc" }],
        skip: page.offset,
        take: page.limit,
      }),
      this.prisma.reconstruction.count({ where }),
    ]);
    return { nodes: jobs.flatMap((job) => withJob(job) ?? []).map(toReconstruction), totalCount };
  }

  /** Its current state first, then step, preview and state events as they happen; ends when it does. */
  async follow(viewer: Viewer | null, id: string, signal?: AbortSignal) {
    const visible = await this.find(viewer, id);
    if (!visible) throw notFound(`Reconstruction ${id}`);
    const view = new ReconstructionEventView();
    const records = this.jobs.events.subscribe(id, (seq) => snapshotOf(this.prisma, id, seq), signal);
    return mapRecords(records, (record) => view.toGraphQL(record));
  }

  /** Stores an uploaded image and checks it is PNG, JPEG or WebP; a refused one is removed again. */
  private async storeImage(upload: Promise<FileUpload>): Promise<StoredBlob> {
    const file = await incomingUpload(upload, this.limits.maxImageBytes)();
    const stored = await this.store.put(file.stream, { maxBytes: this.limits.maxImageBytes });
    const head =
      stored.sizeBytes > 0
        ? await readAll(await this.store.openRead(stored.sha256, { start: 0, end: 11 }))
        : null;
    if (!head || !isImage(head)) {
      if (stored.created) await this.references.release([stored.sha256]);
      throw badInput("input.image must be a PNG, JPEG or WebP image", { field: "image" });
    }
    return stored;
  }

  private async row(id: string): Promise<ReconstructionWithJob> {
    const row = await readWithJob(this.prisma, id);
    if (!row) throw notFound(`Reconstruction ${id}`);
    return row;
  }
}

type JobWithReconstruction = JobRow & { reconstruction: ReconstructionRow | null };

/**
 * A reconstruction and its job read job first: the job turns SUCCEEDED in the transaction that
 * stores the mesh and metrics, so a row read after its job is never older than the status. (Read
 * the other way round, as `include: { job: true }` does, a poll could straddle that commit and see
 * SUCCEEDED without a mesh.)
 */
async function readWithJob(prisma: PrismaClient, id: string): Promise<ReconstructionWithJob | null> {
  return withJob(await prisma.job.findUnique({ where: { id }, include: { reconstruction: true } }));
}

function withJob(row: JobWithReconstruction | null): ReconstructionWithJob | null {
  if (!row?.reconstruction) return null;
  const { reconstruction, ...job } = row;
  return { ...reconstruction, job };
}

function isImage(head: Buffer): boolean {
  const png = head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const jpeg = head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff;
  const webp =
    head.subarray(0, 4).toString("latin1") === "RIFF" && head.subarray(8, 12).toString("latin1") === "WEBP";
  return png || jpeg || webp;
}
