import { qualityThresholds as limits } from "./quality-thresholds";
import { fraction, plural, type Finding, type QualitySample } from "./quality-input";

/** Samples with the same bytes (sha256), in groups of two or more. */
export function exactDuplicates(samples: readonly QualitySample[]): Finding[] {
  const bySha = new Map<string, QualitySample[]>();
  for (const sample of samples) {
    const group = bySha.get(sample.sha256);
    if (group) group.push(sample);
    else bySha.set(sample.sha256, [sample]);
  }
  const groups = [...bySha.values()].filter((group) => group.length > 1);
  if (groups.length === 0) return [];
  const extra = groups.reduce((sum, group) => sum + group.length - 1, 0);
  // The same picture under two labels is a labelling mistake, not only wasted data.
  const conflicting = groups.filter((group) => new Set(group.map((s) => s.classId)).size > 1);
  const conflictNote = conflicting.length
    ? `; ${plural(conflicting.length, "group")} carry different labels: keep the copy with the right one`
    : "";
  return [
    {
      kind: "EXACT_DUPLICATES",
      severity: conflicting.length ? "ERROR" : "WARNING",
      sampleIds: groups.flat().map((s) => s.id),
      recommendation:
        `Remove ${plural(extra, "exact duplicate")} (keep one of each group) so they don't leak ` +
        `between train and validation${conflictNote}`,
      details: {
        affectedFraction: fraction(extra, samples.length),
        groups: groups.map((group) => group.map((s) => s.id)),
        conflictingLabels: conflicting.length,
      },
    },
  ];
}

/**
 * Samples whose perceptual hashes differ in at most `nearDuplicateMaxBits` bits, grouped
 * transitively; byte-identical pairs are left to EXACT_DUPLICATES.
 *
 * Not O(n²): the 64 bits are cut into d+1 bands, and by the pigeonhole principle two hashes at
 * most d bits apart agree exactly on at least one band. Only samples sharing a band value are
 * compared, which on real data is a handful per bucket.
 */
export function nearDuplicates(samples: readonly QualitySample[]): Finding[] {
  const maxBits = limits.nearDuplicateMaxBits;
  const bands = bandRanges(maxBits + 1);
  const parent = samples.map((_, index) => index);
  const root = (index: number): number => {
    while (parent[index] !== index) {
      parent[index] = parent[parent[index]!]!;
      index = parent[index]!;
    }
    return index;
  };
  const bits = samples.map((sample) => hashBits(sample.perceptualHash));
  const words = samples.map((sample) => hashWords(sample.perceptualHash));
  for (const [from, to] of bands) {
    const buckets = new Map<string, number[]>();
    for (const [index, sampleBits] of bits.entries()) {
      const key = sampleBits.slice(from, to);
      const bucket = buckets.get(key);
      if (bucket) bucket.push(index);
      else buckets.set(key, [index]);
    }
    for (const bucket of buckets.values()) {
      for (let i = 0; i < bucket.length; i += 1) {
        for (let j = i + 1; j < bucket.length; j += 1) {
          const [a, b] = [bucket[i]!, bucket[j]!];
          if (samples[a]!.sha256 === samples[b]!.sha256) continue;
          // A pair agreeing on several bands is compared again: cheaper than remembering pairs.
          if (distance(words[a]!, words[b]!) <= maxBits) parent[root(b)] = root(a);
        }
      }
    }
  }
  const groups = new Map<number, QualitySample[]>();
  for (const [index, sample] of samples.entries()) {
    const key = root(index);
    const group = groups.get(key);
    if (group) group.push(sample);
    else groups.set(key, [sample]);
  }
  const found = [...groups.values()].filter((group) => new Set(group.map((s) => s.sha256)).size > 1);
  if (found.length === 0) return [];
  const extra = found.reduce((sum, group) => sum + group.length - 1, 0);
  return [
    {
      kind: "NEAR_DUPLICATES",
      severity: "INFO",
      sampleIds: found.flat().map((s) => s.id),
      recommendation:
        `Review ${plural(found.length, "group")} of near-identical images (resized, re-encoded or ` +
        `lightly edited copies): keep one of each group, or put a whole group in the same split ` +
        `so validation does not score images the model has seen`,
      details: {
        affectedFraction: fraction(extra, samples.length),
        maxHammingDistance: maxBits,
        groups: found.map((group) => group.map((s) => s.id)),
      },
    },
  ];
}

/** `count` contiguous [from, to) ranges covering 64 bits, sizes differing by at most one. */
function bandRanges(count: number): Array<[number, number]> {
  return Array.from({ length: count }, (_, band) => [
    Math.floor((band * 64) / count),
    Math.floor(((band + 1) * 64) / count),
  ]);
}

/** The 64 bits as a "0"/"1" string, so a band is a cheap slice usable as a map key. */
function hashBits(hash: string): string {
  let bits = "";
  for (const digit of hash) bits += parseInt(digit, 16).toString(2).padStart(4, "0");
  return bits;
}

/**
 * The hash as two 32-bit words. Random 9-bit bands still collide often at 5,000 images (about
 * 160,000 candidate pairs), so the comparison works on numbers parsed once rather than calling
 * hammingDistance, which parses and validates both strings on every call.
 */
function hashWords(hash: string): [number, number] {
  return [parseInt(hash.slice(0, 8), 16), parseInt(hash.slice(8, 16), 16)];
}

function distance(a: [number, number], b: [number, number]): number {
  return popcount(a[0] ^ b[0]) + popcount(a[1] ^ b[1]);
}

/** Set bits of a 32-bit integer (SWAR). */
function popcount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}
