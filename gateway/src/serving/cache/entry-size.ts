import type { ScoreRow } from "../scorer";

/*
 * Estimates of what V8 holds for one cached answer, so that TESSERA_PREDICTION_CACHE_BYTES bounds
 * the heap the cache takes, not a count of entries: an answer of 1,000 long labels weighs a
 * hundred times one of three. On the high side on purpose (strings counted as two bytes a
 * character although V8 stores Latin-1 ones in one), so the real footprint stays under the bound.
 */

/** A string's header plus its characters as UTF-16. */
const STRING_HEADER = 16;
/** A score row: an object of three fields, its score a boxed double, its index a small integer. */
const ROW_OVERHEAD = 56;
/** The entry object, its array, the LRU's node and map slot, and the entry in the per-model index. */
const ENTRY_OVERHEAD = 240;

export const stringBytes = (text: string) => STRING_HEADER + 2 * text.length;

/** The bytes an entry of this key and these scores is counted as. */
export function entryBytes(key: string, modelId: string, scores: readonly ScoreRow[]): number {
  let bytes = ENTRY_OVERHEAD + stringBytes(key) + stringBytes(modelId);
  for (const row of scores) bytes += ROW_OVERHEAD + stringBytes(row.label);
  return bytes;
}
