/**
 * Samples as the drift statistics take them: `rows` vectors of `columns` values each, row after
 * row in one Float64Array, so a statistic walks memory in order and a test can write one by hand.
 */
export interface SampleMatrix {
  readonly rows: number;
  readonly columns: number;
  readonly data: Float64Array;
}

/** A matrix from vectors of equal length (embeddings as the database returns them). */
export function sampleMatrix(vectors: ReadonlyArray<ArrayLike<number>>, columns?: number): SampleMatrix {
  const width = columns ?? vectors[0]?.length ?? 0;
  const data = new Float64Array(vectors.length * width);
  vectors.forEach((vector, row) => {
    if (vector.length !== width) {
      throw new RangeError(`vector ${row} has ${vector.length} values; every vector must have ${width}`);
    }
    for (let column = 0; column < width; column++) data[row * width + column] = vector[column]!;
  });
  return { rows: vectors.length, columns: width, data };
}

/** `first`'s rows, then `second`'s: the pooled sample both tests start from. */
export function stackRows(first: SampleMatrix, second: SampleMatrix): SampleMatrix {
  if (first.columns !== second.columns) {
    throw new RangeError(
      `both samples need the same number of columns; got ${first.columns} and ${second.columns}`,
    );
  }
  const data = new Float64Array(first.data.length + second.data.length);
  data.set(first.data);
  data.set(second.data, first.data.length);
  return { rows: first.rows + second.rows, columns: first.columns, data };
}

/** The median of the values (the mean of the middle two for an even count); NaN when empty. */
export function median(values: Float64Array): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

// One shuffle for the whole product (drift permutations, folds, splits).
export { shuffledIndices } from "@tessera/seeded-random";
