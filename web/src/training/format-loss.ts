/** A loss as people compare them: four decimals, or two significant digits once it is below 0.001. */
export function formatLoss(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (value !== 0 && Math.abs(value) < 0.001) return value.toExponential(1);
  return value.toFixed(4);
}
