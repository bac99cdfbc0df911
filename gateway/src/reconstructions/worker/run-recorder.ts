import { once } from "node:events";
import { PassThrough, Readable } from "node:stream";
import type { CheckpointOut__Output } from "@tessera/proto/generated/tessera/reconstruction/v1/CheckpointOut";
import type { Progress__Output } from "@tessera/proto/generated/tessera/reconstruction/v1/Progress";
import type { BlobReferences } from "../../blobs/blob-references";
import type { JobContext } from "../../jobs/job-kind";
import type { BlobStore, StoredBlob } from "../../storage/blob-store";
import type {
  ReconstructionJobEvents,
  ReconstructionJobPayload,
  ReconstructionStepPayload,
} from "../reconstruction-job-kind";
import type { AssembledArtifact } from "./artifact-assembler";

export type ReconstructionContext = JobContext<
  ReconstructionJobPayload,
  ReconstructionJobEvents,
  ReconstructionStepPayload
>;

/** An artifact stored in the blob store whose row is written when the run succeeds. */
export interface PendingArtifact extends Omit<AssembledArtifact, "data"> {
  sha256: string;
  sizeBytes: number;
}

/** At most this many `step` events a second; a measured PSNR, a new phase and the last step always go. */
const STEP_EVENTS_PER_SECOND = 2;
/**
 * Where each phase puts the job's progress: the optimisation (or a model's inference) fills the
 * first 90 %, in proportion to its steps; rendering the held-out views and meshing follow.
 */
const PHASE_START: Record<string, number> = { rendering: 0.92, meshing: 0.96 };
const STEPPED_SHARE = 0.9;
/**
 * The largest checkpoint stored (PAYLOAD_TOO_LARGE past it): a 256³ field with SH colour and its
 * Adam moments is about 2.6 GiB, well within.
 */
const MAX_CHECKPOINT_BYTES = 8 * 1024 ** 3;

/** A checkpoint on its way into the blob store, chunk by chunk as the tier sends it. */
interface CheckpointUpload {
  stream: PassThrough;
  stored: Promise<StoredBlob>;
}

/**
 * What a run writes while the tier's events arrive: progress and `step` events, previews (stored
 * with their rows at once, so subscribers can fetch them), checkpoints (the previous one's blob
 * released), and the other artifacts' blobs, whose rows the success commits. `releasePending`
 * removes those blobs when the run does not succeed.
 */
export class RunRecorder {
  readonly pending: PendingArtifact[] = [];
  #checkpointUpload: CheckpointUpload | null = null;
  #lastStepEventAt = 0;
  #lastPhase: string | null = null;

  constructor(
    private readonly context: ReconstructionContext,
    private readonly store: BlobStore,
    private readonly references: BlobReferences,
  ) {}

  async progress(progress: Progress__Output): Promise<void> {
    const step: ReconstructionStepPayload = {
      step: progress.step,
      totalSteps: progress.total_steps,
      loss: finite(progress.loss),
      psnr: finite(progress.psnr),
      samplesPerSecond: finite(progress.samples_per_second),
      resolution: progress.grid_resolution || null,
      phase: progress.phase || "optimising",
    };
    const fraction =
      PHASE_START[step.phase] ??
      (step.totalSteps > 0 ? STEPPED_SHARE * (step.step / step.totalSteps) : undefined);
    await this.context.progress({
      fraction,
      phase: step.phase,
      done: step.step,
      total: step.totalSteps,
      detail: step,
    });
    const now = Date.now();
    const last = step.totalSteps > 0 && step.step === step.totalSteps;
    const newPhase = step.phase !== this.#lastPhase;
    this.#lastPhase = step.phase;
    if (
      step.psnr !== null ||
      last ||
      newPhase ||
      now - this.#lastStepEventAt >= 1000 / STEP_EVENTS_PER_SECOND
    ) {
      this.#lastStepEventAt = now;
      await this.context.emit("step", step);
    }
  }

  async artifact(artifact: AssembledArtifact): Promise<void> {
    const stored = await this.store.put(Readable.from([artifact.data]), { signal: this.context.signal });
    const { data: _data, ...described } = artifact;
    const pending: PendingArtifact = { ...described, sha256: stored.sha256, sizeBytes: stored.sizeBytes };
    if (artifact.kind !== "PREVIEW_PNG") {
      this.pending.push(pending);
      return;
    }
    const row = await this.context.write(async (tx) => {
      await this.references.record(tx, [stored]);
      return tx.reconstructionArtifact.create({
        data: artifactRow(this.context.payload.reconstructionId, pending),
        select: { id: true },
      });
    });
    if (!row) {
      await this.references.release([stored.sha256]);
      return;
    }
    await this.context.emit("preview", { step: artifact.number, artifactId: row.id });
  }

  /** Streams each chunk into the blob store as it comes: a checkpoint is never held whole here. */
  async checkpoint(chunk: CheckpointOut__Output): Promise<void> {
    const upload = (this.#checkpointUpload ??= this.#startCheckpointUpload());
    if (!upload.stream.write(chunk.data)) {
      // A put that failed (over the cap, aborted) never drains: its rejection ends the wait.
      await Promise.race([once(upload.stream, "drain"), upload.stored]);
    }
    if (!chunk.last) return;
    this.#checkpointUpload = null;
    upload.stream.end();
    const stored = await upload.stored;
    const id = this.context.payload.reconstructionId;
    const previous = await this.context.write(async (tx) => {
      await this.references.record(tx, [stored]);
      const before = await tx.reconstruction.findUniqueOrThrow({
        where: { id },
        select: { checkpointSha256: true },
      });
      await tx.reconstruction.update({
        where: { id },
        data: { checkpointSha256: stored.sha256, checkpointStep: chunk.step },
      });
      return { sha256: before.checkpointSha256 };
    });
    if (!previous) await this.references.release([stored.sha256]);
    else if (previous.sha256 && previous.sha256 !== stored.sha256)
      await this.references.release([previous.sha256]);
  }

  /**
   * Resuming from the checkpoint at `step`: the failed attempt's previews after it show a field
   * this run starts over from, so their rows go (and then their blobs).
   */
  async dropPreviewsAfter(step: number): Promise<void> {
    const id = this.context.payload.reconstructionId;
    const dropped = await this.context.write(async (tx) => {
      const rows = await tx.reconstructionArtifact.findMany({
        where: { reconstructionId: id, kind: "PREVIEW_PNG", step: { gt: step } },
        select: { id: true, sha256: true },
      });
      await tx.reconstructionArtifact.deleteMany({ where: { id: { in: rows.map((row) => row.id) } } });
      return rows.map((row) => row.sha256);
    });
    if (dropped?.length) await this.references.release(dropped);
  }

  #startCheckpointUpload(): CheckpointUpload {
    const stream = new PassThrough();
    // The put reports a failed stream (it rejects); the stream's own error event must not crash us.
    stream.on("error", () => undefined);
    const stored = this.store.put(stream, { signal: this.context.signal, maxBytes: MAX_CHECKPOINT_BYTES });
    // Awaited when the last chunk arrives; a run that ends before then abandons it (releasePending).
    stored.catch(() => undefined);
    return { stream, stored };
  }

  /** The run did not succeed: the blobs no row will ever name go (previews and the checkpoint stay). */
  async releasePending(): Promise<void> {
    // A checkpoint cut off mid-stream: the blob store discards what was written of it.
    this.#checkpointUpload?.stream.destroy(new Error("The run ended before its checkpoint was complete"));
    this.#checkpointUpload = null;
    const sha256s = this.pending.map((artifact) => artifact.sha256);
    this.pending.length = 0;
    await this.references.release(sha256s);
  }
}

export function artifactRow(reconstructionId: string, artifact: PendingArtifact) {
  return {
    reconstructionId,
    kind: artifact.kind,
    sha256: artifact.sha256,
    sizeBytes: BigInt(artifact.sizeBytes),
    contentType: artifact.contentType,
    fileName: artifact.fileName,
    frame: artifact.kind === "RENDER_PNG" || artifact.kind === "TURNTABLE_PNG" ? artifact.number : null,
    step: artifact.kind === "PREVIEW_PNG" ? artifact.number : null,
  };
}

/** NaN (not measured) and infinities become null: JSON cannot hold them. */
export function finite(value: number | null | undefined): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}
