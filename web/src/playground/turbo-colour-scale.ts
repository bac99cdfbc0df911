/**
 * The colour scale of the depth preview the server draws (inference/src/tasks/turbo-colormap.ts):
 * turbo, from the published polynomial fit, quantised the same way (a 16-bit level's high byte
 * picks one of 256 colours), so the legend shows exactly the colours of the preview.
 */
export type Rgb = readonly [red: number, green: number, blue: number];

const coefficients = {
  red: [0.13572138, 4.6153926, -42.66032258, 132.13108234, -152.94239396, 59.28637943],
  green: [0.09140261, 2.19418839, 4.84296658, -14.18503333, 4.27729857, 2.82956604],
  blue: [0.1066733, 12.64194608, -60.58204836, 110.36276771, -89.90310912, 27.34824973],
} as const;

function channel(polynomial: readonly number[], x: number): number {
  const value = polynomial.reduceRight((sum, coefficient) => sum * x + coefficient, 0);
  return Math.round(Math.min(1, Math.max(0, value)) * 255);
}

const table: Rgb[] = Array.from({ length: 256 }, (_, level) => {
  const x = level / 255;
  return [
    channel(coefficients.red, x),
    channel(coefficients.green, x),
    channel(coefficients.blue, x),
  ] as const;
});

/** The preview's colour at `position` along the scale: 0 is the smallest value (dark blue), 1 the largest (dark red). */
export function turboColour(position: number): Rgb {
  const clamped = Number.isFinite(position) ? Math.min(1, Math.max(0, position)) : 0;
  return table[Math.round(clamped * 65535) >> 8]!;
}

export function rgbCss([red, green, blue]: Rgb): string {
  return `rgb(${red} ${green} ${blue})`;
}

/** A left-to-right CSS gradient through `stops` evenly spaced colours of the scale. */
export function turboGradient(stops = 32): string {
  const count = Math.max(2, Math.floor(stops));
  const colours = Array.from({ length: count }, (_, index) => {
    const position = index / (count - 1);
    return `${rgbCss(turboColour(position))} ${(position * 100).toFixed(2)}%`;
  });
  return `linear-gradient(to right, ${colours.join(", ")})`;
}

/** Where a raw value sits on the scale the server drew from `min` to `max` (0…1; 0 for a flat map). */
export function scalePosition(value: number, min: number, max: number): number {
  const span = max - min;
  if (!(span > 0)) return 0;
  return Math.min(1, Math.max(0, (value - min) / span));
}

/** `count` values evenly spaced from `min` to `max`, both included; one value for a flat map. */
export function scaleTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const steps = Math.max(1, Math.floor(count) - 1);
  return Array.from({ length: steps + 1 }, (_, index) =>
    index === steps ? max : min + ((max - min) * index) / steps,
  );
}

/**
 * A value of the scale with as many decimals as the span needs to tell neighbouring ticks apart:
 * 0.1234…0.5678 gives `0.12`, 12…480 gives `12`, and very large or small magnitudes use exponents.
 */
export function formatScaleValue(value: number, span: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.max(Math.abs(value), span);
  if (magnitude !== 0 && (magnitude >= 1e6 || magnitude < 1e-3)) return value.toExponential(2);
  const step = span > 0 ? span / 4 : Math.abs(value) || 1;
  const decimals = Math.min(6, Math.max(0, 1 - Math.floor(Math.log10(step))));
  return value.toFixed(decimals);
}
