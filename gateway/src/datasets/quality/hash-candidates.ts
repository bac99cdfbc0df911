import type { QualitySample } from "./quality-input";

/**
 * Calls `visit(a, b, bits)` once for every pair of samples (indices, a < b) with different bytes
 * whose perceptual hashes differ in at most `maxBits` bits. Pairs are visited rather than
 * returned: on a set of look-alike silhouettes there are millions of them.
 *
 * Not O(n²): the 64 bits are cut into d+1 bands, and by the pigeonhole principle two hashes at
 * most d bits apart agree exactly on at least one band. Only samples sharing a band value are
 * compared, which on real data is a handful per bucket. Returns how many hash comparisons that
 * took (a pair sharing several bands counts once per band), so the bound can be checked without
 * a clock.
 */
export function forEachHashPair(
  samples: readonly QualitySample[],
  maxBits: number,
  visit: (a: number, b: number, bits: number) => void,
): number {
  let comparisons = 0;
  const bands = bandRanges(maxBits + 1);
  const bits = samples.map((sample) => hashBits(sample.perceptualHash));
  const words = samples.map((sample) => hashWords(sample.perceptualHash));
  for (const [band, [from, to]] of bands.entries()) {
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
          comparisons += 1;
          const apart = distance(words[a]!, words[b]!);
          if (apart > maxBits) continue;
          // A pair agreeing on several bands is visited in the first of them only.
          const earlier = bands
            .slice(0, band)
            .some(([start, end]) => bits[a]!.slice(start, end) === bits[b]!.slice(start, end));
          if (!earlier) visit(a, b, apart);
        }
      }
    }
  }
  return comparisons;
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
