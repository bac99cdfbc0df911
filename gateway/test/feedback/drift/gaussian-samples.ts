import { seededGaussian } from "@tessera/seeded-random";
import type { SampleMatrix } from "../../../src/feedback/drift/sample-matrix";

/** `rows` draws of N(shift·1, I) in `columns` dimensions, seeded. */
export function gaussianSample(rows: number, columns: number, shift: number, seed: number): SampleMatrix {
  const normal = seededGaussian(seed);
  const data = new Float64Array(rows * columns);
  for (let index = 0; index < data.length; index++) data[index] = normal() + shift;
  return { rows, columns, data };
}

export function matrix(rows: number[][]): SampleMatrix {
  return { rows: rows.length, columns: rows[0]!.length, data: Float64Array.from(rows.flat()) };
}
