export interface VectorPage {
  entries: Array<{ sampleId: string; vector: number[] }>;
  totalCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
}

export type FetchVectorPage = (after: string | null, signal: AbortSignal) => Promise<VectorPage>;

export interface VersionVectors {
  sampleIds: string[];
  /** Row i is the vector of sampleIds[i]. */
  values: Float32Array;
  dimension: number;
}

/**
 * Every vector of a version in one space, page after page, packed row by row for the projection
 * worker. All vectors of a space have the same length; a page breaking that is refused rather
 * than drawn wrong.
 */
export async function fetchAllVectors(
  fetchPage: FetchVectorPage,
  onProgress: (loaded: number, total: number) => void,
  signal: AbortSignal,
): Promise<VersionVectors> {
  const sampleIds: string[] = [];
  const rows: number[][] = [];
  let dimension: number | null = null;
  let after: string | null = null;
  for (;;) {
    const page = await fetchPage(after, signal);
    for (const { sampleId, vector } of page.entries) {
      dimension ??= vector.length;
      if (vector.length !== dimension) {
        throw new Error(
          `The vector of sample ${sampleId} has ${vector.length} values; the others have ${dimension}`,
        );
      }
      sampleIds.push(sampleId);
      rows.push(vector);
    }
    onProgress(sampleIds.length, page.totalCount);
    if (!page.hasNextPage || page.entries.length === 0) break;
    after = page.endCursor;
  }
  const size = dimension ?? 0;
  const values = new Float32Array(rows.length * size);
  rows.forEach((row, index) => values.set(row, index * size));
  return { sampleIds, values, dimension: size };
}
