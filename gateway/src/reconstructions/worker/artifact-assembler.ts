import type { ArtifactChunk__Output } from "@tessera/proto/generated/tessera/reconstruction/v1/ArtifactChunk";

export type ArtifactKindName =
  "MESH_GLB" | "POINT_CLOUD_PLY" | "RENDER_PNG" | "TURNTABLE_PNG" | "PREVIEW_PNG";

/** One artifact whose last chunk arrived. */
export interface AssembledArtifact {
  kind: ArtifactKindName;
  /** Frame index (RENDER_PNG), turntable frame (TURNTABLE_PNG) or step (PREVIEW_PNG). */
  number: number;
  contentType: string;
  fileName: string;
  data: Buffer;
}

/**
 * What each kind is served as: fixed here rather than taken from the tier, because the download
 * route sends it as the Content-Type and browsers act on it. PLY has no registered media type;
 * `application/ply` is what viewers and the glTF/PLY tooling recognise.
 */
const formats: Record<ArtifactKindName, { contentType: string; extension: string; stem: string }> = {
  MESH_GLB: { contentType: "model/gltf-binary", extension: "glb", stem: "mesh" },
  POINT_CLOUD_PLY: { contentType: "application/ply", extension: "ply", stem: "points" },
  RENDER_PNG: { contentType: "image/png", extension: "png", stem: "render" },
  TURNTABLE_PNG: { contentType: "image/png", extension: "png", stem: "turntable" },
  PREVIEW_PNG: { contentType: "image/png", extension: "png", stem: "preview" },
};

/** Bytes one artifact may have: the tier is trusted, but a bug there must not exhaust this process. */
const MAX_ARTIFACT_BYTES = 2 * 1024 ** 3;

/**
 * Joins the tier's ArtifactChunks (at most 1 MiB each, `last` on the final one) into whole files.
 * Chunks of different artifacts may interleave; each is keyed by kind and number.
 */
export class ArtifactAssembler {
  readonly #open = new Map<string, { parts: Buffer[]; size: number }>();

  add(chunk: ArtifactChunk__Output): AssembledArtifact | null {
    const kind = chunk.kind as ArtifactKindName;
    const format = formats[kind];
    if (!format) throw new Error(`The tier sent an artifact of an unknown kind: ${String(chunk.kind)}`);
    const key = `${kind}:${chunk.number}`;
    const open = this.#open.get(key) ?? { parts: [], size: 0 };
    open.parts.push(chunk.data);
    open.size += chunk.data.length;
    if (open.size > MAX_ARTIFACT_BYTES)
      throw new Error(`The tier sent an artifact over ${MAX_ARTIFACT_BYTES} bytes`);
    if (!chunk.last) {
      this.#open.set(key, open);
      return null;
    }
    this.#open.delete(key);
    return {
      kind,
      number: chunk.number,
      contentType: format.contentType,
      fileName: fileNameOf(chunk.file_name, `${format.stem}-${chunk.number}.${format.extension}`),
      data: Buffer.concat(open.parts),
    };
  }
}

/** The tier's name when it is a plain file name (it ends up in Content-Disposition), else ours. */
function fileNameOf(given: string, fallback: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(given) ? given : fallback;
}
