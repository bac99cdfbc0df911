import { badInput } from "../errors";
import { isUuid } from "../graphql/ids";
import type { PageInfo } from "../graphql/connection";
import { checkRange, limits } from "../limits";
import type { Sample } from "./datasets.types";

/**
 * Where a page of a version's samples resumes: after this sample in display order (path in the
 * upload, then id). A keyset position, not an offset, so page 1,000 costs what page 1 costs: the
 * statement starts its walk of the (datasetId, originalPath, id) index there.
 */
export interface SamplePosition {
  originalPath: string;
  id: string;
}

/** Sorts before every UUID: the start of a keyset walk over sample ids. */
export const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/**
 * Before every sample: ('', nil UUID) sorts before any (path, id) a sample can have, so the first
 * page runs the same statement (and the same index scan) as any other.
 */
export const START: SamplePosition = { originalPath: "", id: NIL_UUID };

/** Versioned so a later change of order can refuse today's cursors by their tag. */
const TAG = "path-id:";

/** Longer than any path an upload stores (ZIP entry names are at most 65,535 bytes). */
const MAX_CURSOR_LENGTH = 100_000;

export function encodeSampleCursor(position: SamplePosition): string {
  return Buffer.from(TAG + JSON.stringify([position.originalPath, position.id])).toString("base64url");
}

/** The position an `after` argument names; null for none. Anything else is BAD_USER_INPUT. */
export function decodeSampleCursor(after: string | null | undefined): SamplePosition | null {
  if (after === null || after === undefined || after === "") return null;
  const position = after.length <= MAX_CURSOR_LENGTH ? parse(after) : null;
  if (position) return position;
  // Offset cursors of earlier releases land here too: their positions are not keyset positions.
  throw badInput(`"after" is not a cursor of this list: start again from the first page`, {
    field: "after",
  });
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function parse(after: string): SamplePosition | null {
  const text = Buffer.from(after, "base64url").toString();
  if (!text.startsWith(TAG)) return null;
  let value: unknown;
  try {
    value = JSON.parse(text.slice(TAG.length));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [originalPath, id] = value as unknown[];
  if (typeof originalPath !== "string" || typeof id !== "string" || !isUuid(id)) return null;
  // PostgreSQL text holds neither NUL nor lone surrogates: such a path names no sample, and
  // comparing with it would fail the whole batched statement, other versions' pages included.
  if (originalPath.includes("\0") || loneSurrogate.test(originalPath)) return null;
  return { originalPath, id: id.toLowerCase() };
}

/** `first` of a sample list, checked against the documented page size. */
export const samplePageSize = (first: number | null | undefined, defaultSize: number) =>
  checkRange("first", first ?? defaultSize, 0, limits.pageSize);

/** A page of samples as a Relay connection whose cursors are the samples' own positions. */
export function sampleConnection(
  samples: Sample[],
  after: SamplePosition | null,
  hasNextPage: boolean,
  totalCount: number,
) {
  const edges = samples.map((node) => ({ node, cursor: encodeSampleCursor(node) }));
  const pageInfo: PageInfo = {
    hasNextPage,
    // Relay lets a forward page answer true when it cannot cheaply tell: a cursor names a sample.
    hasPreviousPage: after !== null,
    startCursor: edges[0]?.cursor ?? null,
    endCursor: edges.at(-1)?.cursor ?? null,
  };
  return { edges, pageInfo, totalCount };
}
