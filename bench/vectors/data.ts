import { seededRandom } from "@tessera/seeded-random";

/**
 * Vectors around `clusters` random centres, like embeddings of images from a few hundred classes:
 * uniform random vectors in 256 dimensions are all nearly equidistant, which no real data is and
 * which makes every approximate index look bad. Values are rounded to 4 decimals to keep the
 * SQL text small.
 */
export function clusteredVectors(
  count: number,
  dimension: number,
  clusters: number,
  seed: number,
): Float32Array[] {
  // Deterministic (mulberry32), so every run searches the same data.
  const next = seededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const centres = Array.from({ length: clusters }, () => Float32Array.from({ length: dimension }, gaussian));
  return Array.from({ length: count }, () => {
    const centre = centres[Math.floor(next() * clusters)]!;
    return Float32Array.from(centre, (value) => Math.round((value + 0.6 * gaussian()) * 1e4) / 1e4);
  });
}

export function uuidOf(n: number): string {
  return `00000000-0000-4000-8000-${n.toString().padStart(12, "0")}`;
}
