/**
 * The power spectrum |F(u, v)|² of a square plane whose side is a power of two, by a radix-2 FFT
 * over rows then columns. Index (v · size + u); frequencies above size/2 are the negative ones.
 */
export function powerSpectrum(values: Float64Array, size: number): Float64Array {
  const transform = transformOf(size);
  const real = Float64Array.from(values);
  const imaginary = new Float64Array(values.length);
  const lineReal = new Float64Array(size);
  const lineImaginary = new Float64Array(size);
  for (const [stride, step] of [
    [1, size],
    [size, 1],
  ] as const) {
    for (let line = 0; line < size; line++) {
      const start = line * step;
      for (let index = 0; index < size; index++) {
        lineReal[index] = real[start + index * stride]!;
        lineImaginary[index] = imaginary[start + index * stride]!;
      }
      transform(lineReal, lineImaginary);
      for (let index = 0; index < size; index++) {
        real[start + index * stride] = lineReal[index]!;
        imaginary[start + index * stride] = lineImaginary[index]!;
      }
    }
  }
  return real.map((value, index) => value * value + imaginary[index]! ** 2);
}

type Transform = (real: Float64Array, imaginary: Float64Array) => void;

const transforms = new Map<number, Transform>();

/** An in-place iterative Cooley–Tukey FFT of one length, its twiddles and bit reversal precomputed. */
function transformOf(size: number): Transform {
  const cached = transforms.get(size);
  if (cached) return cached;
  const bits = Math.log2(size);
  const reversed = Uint32Array.from({ length: size }, (_, index) => {
    let result = 0;
    for (let bit = 0; bit < bits; bit++) result |= ((index >> bit) & 1) << (bits - 1 - bit);
    return result;
  });
  const cosines = Float64Array.from({ length: size / 2 }, (_, index) =>
    Math.cos((-2 * Math.PI * index) / size),
  );
  const sines = Float64Array.from({ length: size / 2 }, (_, index) =>
    Math.sin((-2 * Math.PI * index) / size),
  );
  const transform: Transform = (real, imaginary) => {
    for (let index = 0; index < size; index++) {
      const partner = reversed[index]!;
      if (index >= partner) continue;
      const swapReal = real[index]!;
      real[index] = real[partner]!;
      real[partner] = swapReal;
      const swapImaginary = imaginary[index]!;
      imaginary[index] = imaginary[partner]!;
      imaginary[partner] = swapImaginary;
    }
    for (let length = 2; length <= size; length <<= 1) {
      const half = length >> 1;
      const twiddleStep = size / length;
      for (let offset = 0; offset < half; offset++) {
        const twiddleReal = cosines[offset * twiddleStep]!;
        const twiddleImaginary = sines[offset * twiddleStep]!;
        for (let start = offset; start < size; start += length) {
          const partner = start + half;
          const productReal = real[partner]! * twiddleReal - imaginary[partner]! * twiddleImaginary;
          const productImaginary = real[partner]! * twiddleImaginary + imaginary[partner]! * twiddleReal;
          real[partner] = real[start]! - productReal;
          imaginary[partner] = imaginary[start]! - productImaginary;
          real[start]! += productReal;
          imaginary[start]! += productImaginary;
        }
      }
    }
  };
  transforms.set(size, transform);
  return transform;
}
