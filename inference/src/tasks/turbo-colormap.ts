/**
 * Turbo, Google's perceptually ordered rainbow colormap (Anton Mikhailov, 2019), evaluated from
 * the published fifth-order polynomial fit (Ruofei Du, Apache-2.0) into a 256-entry table:
 * 0 is dark blue, 0.5 green-yellow, 1 dark red. Unlike greyscale, neighbouring depths stay
 * distinguishable across the whole range.
 */
const coefficients = {
  red: [0.13572138, 4.6153926, -42.66032258, 132.13108234, -152.94239396, 59.28637943],
  green: [0.09140261, 2.19418839, 4.84296658, -14.18503333, 4.27729857, 2.82956604],
  blue: [0.1066733, 12.64194608, -60.58204836, 110.36276771, -89.90310912, 27.34824973],
} as const;

/** RGB triples for levels 0…255, interleaved. */
export const turboTable: Uint8Array = (() => {
  const table = new Uint8Array(256 * 3);
  for (let level = 0; level < 256; level++) {
    const x = level / 255;
    table[level * 3] = channel(coefficients.red, x);
    table[level * 3 + 1] = channel(coefficients.green, x);
    table[level * 3 + 2] = channel(coefficients.blue, x);
  }
  return table;
})();

function channel(polynomial: readonly number[], x: number): number {
  const value = polynomial.reduceRight((sum, coefficient) => sum * x + coefficient, 0);
  return Math.round(Math.min(1, Math.max(0, value)) * 255);
}

/** Colours 16-bit levels (0 = smallest, 65535 = largest) with turbo: interleaved RGB bytes. */
export function colouriseLevels(levels: Uint16Array): Uint8Array {
  const rgb = new Uint8Array(levels.length * 3);
  for (let index = 0; index < levels.length; index++) {
    const entry = (levels[index]! >> 8) * 3;
    rgb[index * 3] = turboTable[entry]!;
    rgb[index * 3 + 1] = turboTable[entry + 1]!;
    rgb[index * 3 + 2] = turboTable[entry + 2]!;
  }
  return rgb;
}
