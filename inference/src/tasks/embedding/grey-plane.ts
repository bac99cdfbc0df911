/** One channel of an image, row-major. */
export interface GreyPlane {
  width: number;
  height: number;
  values: Float64Array;
}

/** Half the size by averaging 2×2 blocks (odd last rows and columns are dropped). */
export function halfSize(plane: GreyPlane): GreyPlane {
  const width = Math.floor(plane.width / 2);
  const height = Math.floor(plane.height / 2);
  const values = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    const top = 2 * y * plane.width;
    const bottom = top + plane.width;
    for (let x = 0; x < width; x++) {
      const left = 2 * x;
      values[y * width + x] =
        (plane.values[top + left]! +
          plane.values[top + left + 1]! +
          plane.values[bottom + left]! +
          plane.values[bottom + left + 1]!) /
        4;
    }
  }
  return { width, height, values };
}
