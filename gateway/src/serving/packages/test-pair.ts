import { seededRandom } from "@tessera/seeded-random";
import { isNpyType, type NpyTensor, type NpyType } from "./npy";

/** What the registry knows of a tensor: `shape` holds -1 where the model takes any size. */
export interface TensorShape {
  name: string;
  dataType: string;
  shape: number[];
}

/**
 * A free dimension's size in the test input: 1 for the batch (the first), else the side of an
 * image the size of the fixtures a person can read in a hex dump.
 */
const freeBatch = 1;
const freeSide = 8;

/** The tolerance an importer applies; a package cannot widen it. |actual − expected| ≤ abs + rel·|expected|. */
export const testTolerance = { absolute: 1e-4, relative: 1e-3 } as const;

/**
 * The same tensor for the same input description every time: seeded values in [0, 1) for floats
 * and 0…9 for integers, so an export is reproducible and a reader can regenerate it.
 */
export function deterministicInput(spec: TensorShape, seed: number): NpyTensor {
  const type = spec.dataType as NpyType;
  if (!isNpyType(spec.dataType)) throw new TypeError(`input "${spec.name}" has type ${spec.dataType}`);
  const dims = spec.shape.map((d, index) => (d > 0 ? d : index === 0 ? freeBatch : freeSide));
  const count = dims.reduce((product, d) => product * d, 1);
  const random = seededRandom(seed);
  const data = filled(type, count, random);
  return { type, dims, data };
}

function filled(type: NpyType, count: number, random: () => number): NpyTensor["data"] {
  switch (type) {
    case "float32":
      return Float32Array.from({ length: count }, random);
    case "float64":
      return Float64Array.from({ length: count }, random);
    case "int64":
      return BigInt64Array.from({ length: count }, () => BigInt(Math.floor(random() * 10)));
    case "int32":
      return Int32Array.from({ length: count }, () => Math.floor(random() * 10));
    case "uint8":
      return Uint8Array.from({ length: count }, () => Math.floor(random() * 10));
    case "int8":
      return Int8Array.from({ length: count }, () => Math.floor(random() * 10));
  }
}

/**
 * Why `actual` is not the `expected` output within `testTolerance`, or null when it is. Types and
 * shapes must match exactly; NaN matches only NaN.
 */
export function outputMismatch(expected: NpyTensor, actual: NpyTensor): string | null {
  if (expected.type !== actual.type) return `expected ${expected.type} values, the model gave ${actual.type}`;
  if (expected.dims.join() !== actual.dims.join()) {
    return `expected shape [${expected.dims.join(", ")}], the model gave [${actual.dims.join(", ")}]`;
  }
  for (let index = 0; index < expected.data.length; index++) {
    const want = Number(expected.data[index]);
    const got = Number(actual.data[index]);
    if (Number.isNaN(want) && Number.isNaN(got)) continue;
    const allowed = testTolerance.absolute + testTolerance.relative * Math.abs(want);
    if (!(Math.abs(got - want) <= allowed)) {
      return `value ${index} is ${got}, expected ${want} (tolerance ${testTolerance.absolute} + ${testTolerance.relative}·|expected|)`;
    }
  }
  return null;
}
