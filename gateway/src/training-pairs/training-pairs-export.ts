import { Readable } from "node:stream";
import type { ZipSourceFile } from "../archives/zip-writer";
import type { BlobStore } from "../storage/blob-store";
import { metadataOf, type PairSide } from "./training-pair-metadata";

export interface ExportablePair {
  id: string;
  sessionId: string;
  instruction: string;
  userEmail: string;
  createdAt: Date;
  metadata: unknown;
  originalSha256: string;
  transformedSha256: string;
  original: { sizeBytes: bigint };
  transformed: { sizeBytes: bigint };
}

/** One line of `training-log.jsonl` and one item of a session's `metadata.json`. */
export interface ExportedPair {
  id: string;
  sessionId: string;
  instruction: string;
  userEmail: string;
  createdAt: string;
  /** Paths inside the archive. */
  original: string;
  transformed: string;
}

const extensions: Record<string, string> = { jpeg: "jpg", png: "png", webp: "webp", gif: "gif" };

/**
 * The seed's layout: `session-<id>/<pairId>-original.<ext>`, `…-transformed.<ext>` and
 * `metadata.json` per session, `training-log.jsonl` (one pair a line) at the top. Pairs come oldest
 * first, so sessions appear in the order they started and the log reads as it was written.
 */
export function trainingPairsArchive(pairs: readonly ExportablePair[], store: BlobStore): ZipSourceFile[] {
  const sessions = new Map<string, { files: ZipSourceFile[]; pairs: ExportedPair[] }>();
  const log: ExportedPair[] = [];
  for (const pair of pairs) {
    const folder = `session-${pair.sessionId}`;
    const session = sessions.get(pair.sessionId) ?? { files: [], pairs: [] };
    sessions.set(pair.sessionId, session);
    const image = (side: PairSide, sha256: string, sizeBytes: bigint): string => {
      const path = `${folder}/${pair.id}-${side}.${extensionOf(pair.metadata, side)}`;
      session.files.push({
        path,
        sizeBytes: Number(sizeBytes),
        open: () => store.openRead(sha256),
        modifiedAt: pair.createdAt,
      });
      return path;
    };
    const exported: ExportedPair = {
      id: pair.id,
      sessionId: pair.sessionId,
      instruction: pair.instruction,
      userEmail: pair.userEmail,
      createdAt: pair.createdAt.toISOString(),
      original: image("original", pair.originalSha256, pair.original.sizeBytes),
      transformed: image("transformed", pair.transformedSha256, pair.transformed.sizeBytes),
    };
    session.pairs.push(exported);
    log.push(exported);
  }
  const files: ZipSourceFile[] = [
    inMemory("training-log.jsonl", log.map((line) => `${JSON.stringify(line)}\n`).join("")),
  ];
  for (const [sessionId, session] of sessions) {
    files.push(...session.files);
    const metadata = { sessionId, pairCount: session.pairs.length, pairs: session.pairs };
    files.push(inMemory(`session-${sessionId}/metadata.json`, `${JSON.stringify(metadata, null, 2)}\n`));
  }
  return files;
}

/** A row stored without measurements (none are, but the column is nullable) exports as `.bin`. */
function extensionOf(metadata: unknown, side: PairSide): string {
  const format = metadataOf(metadata)?.[side].format;
  return (format && extensions[format]) ?? "bin";
}

function inMemory(path: string, text: string): ZipSourceFile {
  const bytes = Buffer.from(text);
  return { path, sizeBytes: bytes.length, open: () => Readable.from([bytes]) };
}
