/**
 * The search's own deterministic generator (mulberry32, the same algorithm as the tier's
 * built-in embedder uses): the same seed gives the same numbers on every platform, so a job's
 * trials can be replayed after a worker restarts.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** Scrambles 32 bits (murmur3's finaliser) so nearby inputs give unrelated seeds. */
function scramble(value: number): number {
  let hash = value >>> 0;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/**
 * The seed of one trial's draws: derived from the job's seed and the trial's position rather
 * than carried over from the previous draw, so suggesting trial k never depends on how many
 * numbers earlier trials consumed (or on whether the sampler was rebuilt in between).
 */
export function trialSeed(seed: number, trialIndex: number): number {
  const base = scramble(Math.trunc(seed));
  return scramble((base + Math.imul(trialIndex + 1, 0x9e3779b9)) >>> 0);
}

/** A standard normal value (Box–Muller; 1 − u keeps the logarithm finite). */
export function standardNormal(random: () => number): number {
  const radius = Math.sqrt(-2 * Math.log(1 - random()));
  return radius * Math.cos(2 * Math.PI * random());
}
