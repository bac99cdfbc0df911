/**
 * Each class's share of the image as a percentage with `decimals` digits. Rounding each share on
 * its own can make a table of shares add up to 99.9 % or 100.1 %; the largest-remainder method
 * hands the rounding leftovers to the shares that lost the most, so shares of classes that cover
 * the whole image add up to exactly 100.
 */
export function areaPercentages(pixelCounts: readonly number[], totalPixels: number, decimals = 1): number[] {
  if (!(totalPixels > 0)) return pixelCounts.map(() => 0);
  const scale = 10 ** decimals;
  const exact = pixelCounts.map((count) => (count / totalPixels) * 100 * scale);
  const floored = exact.map(Math.floor);
  const target = Math.round(exact.reduce((sum, value) => sum + value, 0));
  let leftover = target - floored.reduce((sum, value) => sum + value, 0);
  const byRemainder = exact
    .map((value, index) => ({ index, remainder: value - floored[index]! }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (leftover <= 0) break;
    floored[index]! += 1;
    leftover -= 1;
  }
  return floored.map((units) => units / scale);
}

/** A share for the table: a class that is present never reads as 0 %. */
export function formatArea(percentage: number, pixelCount: number, decimals = 1): string {
  const smallest = 10 ** -decimals;
  if (pixelCount > 0 && percentage < smallest) return `<${smallest.toFixed(decimals)}%`;
  return `${percentage.toFixed(decimals)}%`;
}
