/** The part of isosurface's API marching-cubes-table.ts uses (the package ships no types). */
declare module "isosurface" {
  type Vector3 = [number, number, number];
  /**
   * Marching cubes over `dims` samples whose values come from `potential` (called at world
   * positions; a sample is inside where it is > 0) spread over `bounds` ([min, max], scaled by
   * `dims`, not `dims − 1`; default [0, dims]). Returns vertex positions and triangles (indices into
   * positions).
   */
  export function marchingCubes(
    dims: readonly [number, number, number],
    potential: (x: number, y: number, z: number) => number,
    bounds?: readonly [readonly [number, number, number], readonly [number, number, number]],
  ): { positions: Vector3[]; cells: Vector3[] };
}
