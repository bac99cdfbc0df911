import { once } from "node:events";
import type { EventEmitter } from "node:events";
import type { ArtifactKind } from "@tessera/proto/generated/tessera/reconstruction/v1/ArtifactKind";
import type { Progress } from "@tessera/proto/generated/tessera/reconstruction/v1/Progress";
import type { ReconstructEvent } from "@tessera/proto/generated/tessera/reconstruction/v1/ReconstructEvent";
import type { ReconstructResult } from "@tessera/proto/generated/tessera/reconstruction/v1/ReconstructResult";
import { chunkBytes } from "./reconstruction-limits";

/** An artifact as a method hands it over; the stream cuts it into chunks. */
export interface Artifact {
  kind: ArtifactKind;
  /** Frame index (RENDER_PNG), turntable frame (TURNTABLE_PNG), step (PREVIEW_PNG), else 0. */
  number: number;
  contentType: string;
  fileName: string;
  bytes: Uint8Array;
}

export const pngType = "image/png";
export const glbType = "model/gltf-binary";
export const plyType = "application/octet-stream";

/**
 * The events of one Reconstruct call, written in order and paced by the client: a write waits
 * while the client is slower than the stream, and every write refuses once `signal` aborted.
 */
export class ReconstructEvents {
  constructor(
    private readonly call: EventEmitter & { write(event: ReconstructEvent): boolean },
    private readonly signal: AbortSignal,
  ) {}

  progress(progress: Progress): Promise<void> {
    return this.write({ progress });
  }

  /** One ArtifactChunk per MiB, the last marked; an empty artifact is one empty last chunk. */
  async artifact(artifact: Artifact): Promise<void> {
    const { bytes } = artifact;
    for (let start = 0; start === 0 || start < bytes.length; start += chunkBytes) {
      const end = Math.min(start + chunkBytes, bytes.length);
      await this.write({
        artifact: {
          kind: artifact.kind,
          number: artifact.number,
          content_type: artifact.contentType,
          file_name: artifact.fileName,
          data: bytes.subarray(start, end),
          last: end === bytes.length,
        },
      });
    }
  }

  async checkpoint(step: number, bytes: Uint8Array): Promise<void> {
    for (let start = 0; start === 0 || start < bytes.length; start += chunkBytes) {
      const end = Math.min(start + chunkBytes, bytes.length);
      await this.write({
        checkpoint: { step, data: bytes.subarray(start, end), last: end === bytes.length },
      });
    }
  }

  result(result: ReconstructResult): Promise<void> {
    return this.write({ result });
  }

  private async write(event: ReconstructEvent): Promise<void> {
    this.signal.throwIfAborted();
    if (!this.call.write(event)) await once(this.call, "drain", { signal: this.signal });
  }
}
