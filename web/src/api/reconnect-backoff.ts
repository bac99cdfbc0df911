const FIRST_DELAY_MS = 500;
const LONGEST_DELAY_MS = 15_000;

/**
 * How long to wait before reconnect attempt `retries` (0 after the first drop): doubles from
 * half a second up to 15 s, with jitter so many tabs do not reconnect in lockstep after a restart.
 */
export function reconnectDelayMs(retries: number, random: () => number = Math.random): number {
  const ceiling = Math.min(LONGEST_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, retries));
  return Math.round(ceiling * (0.5 + random() / 2));
}
