import { mix32 } from "@tessera/seeded-random";

/**
 * The search draws from the tier's deterministic generator (mulberry32): the same seed gives the
 * same numbers on every platform, so a job's trials can be replayed after a worker restarts.
 */
export { seededRandom } from "@tessera/seeded-random";

/**
 * The seed of one trial's draws: derived from the job's seed and the trial's position rather
 * than carried over from the previous draw, so suggesting trial k never depends on how many
 * numbers earlier trials consumed (or on whether the sampler was rebuilt in between).
 */
export function trialSeed(seed: number, trialIndex: number): number {
  const base = mix32(Math.trunc(seed));
  return mix32((base + Math.imul(trialIndex + 1, 0x9e3779b9)) >>> 0);
}

/** A standard normal value (Box–Muller; 1 − u keeps the logarithm finite). */
export function standardNormal(random: () => number): number {
  const radius = Math.sqrt(-2 * Math.log(1 - random()));
  return radius * Math.cos(2 * Math.PI * random());
}
