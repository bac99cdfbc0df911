/**
 * Seeded random streams. Every draw the trainer makes comes from a stream named by the run's seed
 * and a few integers (purpose, epoch, step), never from a stream carried across epochs: so an
 * epoch's shuffle, variant picks and dropout masks are the same whether the run got there in one
 * go or resumed from a checkpoint.
 */

import { mix32 } from "@tessera/seeded-random";

export const RandomPurpose = {
  initialWeights: 1,
  shuffle: 2,
  variants: 3,
  dropout: 4,
} as const;

const twoTo32 = 4_294_967_296;

function hashWords(words: readonly number[], salt: number): number {
  let h = mix32(salt);
  for (const word of words) h = mix32(h ^ mix32(word + salt));
  return h;
}

/** sfc32: small, fast, and passes PractRand far beyond the draws a training run makes. */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `seed` is a non-negative integer up to 2^53 (a uint64 seed as JavaScript holds it). */
  constructor(seed: number, ...keys: number[]) {
    const words = [seed % twoTo32, Math.floor(seed / twoTo32), ...keys];
    this.a = hashWords(words, 0x9e3779b9);
    this.b = hashWords(words, 0x7f4a7c15);
    this.c = hashWords(words, 0x6a09e667);
    this.d = 1;
    for (let round = 0; round < 12; round++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  nextFloat(): number {
    return this.nextUint32() / twoTo32;
  }

  /** Uniform integer in [0, count). */
  nextIndex(count: number): number {
    return Math.floor(this.nextFloat() * count);
  }

  /** Standard normal (Box–Muller; the second value is dropped to keep draws one per call). */
  nextNormal(): number {
    const u = 1 - this.nextFloat();
    const v = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
