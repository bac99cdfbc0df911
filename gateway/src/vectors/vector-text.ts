import { badInput } from "../errors";
import { isUuid } from "../graphql/ids";

/** Largest dimension an HNSW index accepts on the `vector` type (pgvector's limit). */
export const MAX_INDEXED_DIMENSION = 2000;

/** An embedding space's identity as the store needs it: the rows it owns and their length. */
export interface EmbeddingSpaceRef {
  id: string;
  dimension: number;
}

/**
 * Space ids and dimensions are written into SQL text (index DDL cannot take parameters, and the
 * cast `::vector(n)` must match the index expression literally), so both are checked first.
 */
export function checkSpace(space: EmbeddingSpaceRef): void {
  if (!isUuid(space.id)) throw badInput(`An embedding space id must be a UUID; got "${space.id}".`);
  const { dimension } = space;
  if (!Number.isInteger(dimension) || dimension < 1 || dimension > MAX_INDEXED_DIMENSION) {
    throw badInput(
      `An embedding space's dimension must be a whole number from 1 to ${MAX_INDEXED_DIMENSION}; got ${dimension}.`,
    );
  }
}

/**
 * pgvector's text form, `[0.1,-2,3e-7]`. JavaScript's number formatting round-trips float32
 * values exactly, and the text form needs no type OIDs, so it works through any driver.
 * Cosine distance is undefined for a zero vector (pgvector answers NaN), so those are refused.
 */
export function toVectorText(vector: ArrayLike<number>, space: EmbeddingSpaceRef, what = "vector"): string {
  if (vector.length !== space.dimension) {
    throw badInput(
      `The ${what} has ${vector.length} dimensions; embedding space ${space.id} holds vectors of ${space.dimension}.`,
      { expected: space.dimension, got: vector.length },
    );
  }
  let squares = 0;
  for (let i = 0; i < vector.length; i++) {
    const value = vector[i]!;
    if (!Number.isFinite(value))
      throw badInput(`The ${what} has a non-finite value (${value}) at index ${i}.`);
    squares += value * value;
  }
  if (squares === 0) throw badInput(`The ${what} is all zeros; cosine distance needs a non-zero vector.`);
  return `[${Array.prototype.join.call(vector, ",")}]`;
}

/** pgvector's text form back to numbers. */
export function parseVectorText(text: string): number[] {
  return text.slice(1, -1).split(",").map(Number);
}
