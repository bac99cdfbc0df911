import { forEachHashPair } from "./hash-candidates";
import { qualityThresholds as limits } from "./quality-thresholds";
import {
  fraction,
  median,
  plural,
  round,
  type Finding,
  type QualityEmbeddings,
  type QualitySample,
} from "./quality-input";

interface ConfirmedPair {
  a: number;
  b: number;
  bits: number;
  /** Null when the pair was judged without embeddings. */
  cosineDistance: number | null;
}

/**
 * Near-duplicates: pairs whose perceptual hashes are close AND that a second, independent measure
 * agrees on, grouped transitively; byte-identical pairs are left to EXACT_DUPLICATES.
 *
 * A pHash keeps the 8×8 lowest frequencies, so on small images of one silhouette on a plain
 * background (every boot of a Fashion-MNIST set) its bits follow the outline and unrelated images
 * land a few bits apart. With embeddings, a pair also needs a cosine distance far below the
 * version's typical nearest-neighbour distance. Without them only pairs within
 * unconfirmedNearDuplicateMaxBits whose exposure figures match almost exactly count, and the
 * finding says it was not confirmed.
 */
export function nearDuplicates(
  samples: readonly QualitySample[],
  embeddings: QualityEmbeddings | null,
): Finding[] {
  const cosineThreshold = embeddings ? embeddingThreshold(embeddings) : null;
  const parent = samples.map((_, index) => index);
  const root = (index: number): number => {
    while (parent[index] !== index) {
      parent[index] = parent[parent[index]!]!;
      index = parent[index]!;
    }
    return index;
  };
  const pairs: ConfirmedPair[] = [];
  let unconfirmed = 0;
  forEachHashPair(samples, limits.nearDuplicateMaxBits, (a, b, bits) => {
    const first = embeddings?.vectors.get(samples[a]!.id);
    const second = embeddings?.vectors.get(samples[b]!.id);
    let cosineDistance: number | null = null;
    if (first && second && cosineThreshold !== null) {
      cosineDistance = 1 - dot(first, second);
      if (cosineDistance > cosineThreshold) return;
    } else {
      if (!exposureMatches(samples[a]!, samples[b]!, bits)) return;
      unconfirmed += 1;
    }
    pairs.push({ a, b, bits, cosineDistance });
    parent[root(b)] = root(a);
  });
  if (pairs.length === 0) return [];
  const groups = new Map<number, QualitySample[]>();
  for (const [index, sample] of samples.entries()) {
    const key = root(index);
    const group = groups.get(key);
    if (group) group.push(sample);
    else groups.set(key, [sample]);
  }
  const found = [...groups.values()].filter((group) => group.length > 1);
  const extra = found.reduce((sum, group) => sum + group.length - 1, 0);
  pairs.sort((x, y) => x.a - y.a || x.b - y.b);
  const example = pairs[0]!;
  const confirmedByEmbeddings = unconfirmed === 0;
  return [
    {
      kind: "NEAR_DUPLICATES",
      severity: "INFO",
      sampleIds: found.flat().map((s) => s.id),
      recommendation:
        `Review ${plural(found.length, "group")} of near-identical images (resized, re-encoded or ` +
        `lightly edited copies): keep one of each group, or put a whole group in the same split ` +
        `so validation does not score images the model has seen`,
      explanation:
        (cosineThreshold !== null
          ? `Perceptual hashes at most ${limits.nearDuplicateMaxBits} of 64 bits apart, confirmed by stored embeddings: ` +
            `cosine distance at most ${round(cosineThreshold, 5)} (${limits.nearDuplicateEmbeddingShare * 100} % of the version's median ` +
            `nearest-neighbour distance, capped at ${limits.nearDuplicateMaxCosineDistance})`
          : `Not confirmed by embeddings (the version has none yet): perceptual hashes at most ` +
            `${limits.unconfirmedNearDuplicateMaxBits} of 64 bits apart with mean brightness within ` +
            `${limits.unconfirmedNearDuplicateLumaShare * 100} % and clipped fractions within ${limits.unconfirmedNearDuplicateClippedDelta}; ` +
            `a hash alone cannot tell two similar silhouettes from a copy`) +
        (confirmedByEmbeddings || cosineThreshold === null
          ? ""
          : `; ${plural(unconfirmed, "pair")} without vectors judged by hash and exposure only`) +
        `. E.g. ${samples[example.a]!.originalPath} and ${samples[example.b]!.originalPath}: ${example.bits} bits apart` +
        (example.cosineDistance === null ? "." : `, cosine distance ${round(example.cosineDistance, 5)}.`),
      details: {
        affectedFraction: fraction(extra, samples.length),
        maxHammingDistance:
          cosineThreshold === null ? limits.unconfirmedNearDuplicateMaxBits : limits.nearDuplicateMaxBits,
        confirmedByEmbeddings: cosineThreshold !== null && confirmedByEmbeddings,
        maxCosineDistance: cosineThreshold === null ? null : round(cosineThreshold, 6),
        groups: found.map((group) => group.map((s) => s.id)),
        pairs: pairs.map(({ a, b, bits, cosineDistance }) => ({
          ids: [samples[a]!.id, samples[b]!.id],
          bits,
          cosineDistance: cosineDistance === null ? null : round(cosineDistance, 6),
        })),
      },
    },
  ];
}

/**
 * A share of the median distance from a sample to its nearest neighbour with other bytes: the
 * embedder's own scale of "close" on this version.
 */
function embeddingThreshold(embeddings: QualityEmbeddings): number {
  const nearest = embeddings.neighbours.flatMap(({ distances }) => {
    const first = distances.find((d) => d > 1e-6);
    return first === undefined ? [] : [first];
  });
  return Math.min(
    limits.nearDuplicateMaxCosineDistance,
    limits.nearDuplicateEmbeddingShare * median(nearest),
  );
}

function exposureMatches(a: QualitySample, b: QualitySample, bits: number): boolean {
  return (
    bits <= limits.unconfirmedNearDuplicateMaxBits &&
    Math.abs(a.meanLuma - b.meanLuma) <=
      limits.unconfirmedNearDuplicateLumaShare * Math.max(a.meanLuma, b.meanLuma) &&
    Math.abs(a.clippedDarkFraction - b.clippedDarkFraction) <= limits.unconfirmedNearDuplicateClippedDelta &&
    Math.abs(a.clippedBrightFraction - b.clippedBrightFraction) <= limits.unconfirmedNearDuplicateClippedDelta
  );
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let d = 0; d < a.length; d += 1) sum += a[d]! * b[d]!;
  return sum;
}
