import { OnnxGraphBuilder } from "@tessera/onnx";

/** Side of the fixture's sdf grid, over the cube ±1. */
export const sphereGridSide = 24;

/** The radius both image fixtures (this ONNX model and kserve-3d-backend.ts) answer for an image. */
export function radiusForMeanLevel(meanLevel: number): number {
  return 0.2 + (0.6 * meanLevel) / 255;
}

/**
 * An IMAGE_TO_3D model the tier runs itself: image UINT8 [H, W, 3] → sdf FP32 [24, 24, 24] of a
 * ball about the origin of radius radiusForMeanLevel(the image's mean level), over the cube ±1.
 */
export function buildImageToSphereSdf(): Uint8Array {
  const side = sphereGridSide;
  const distances = new Float32Array(side ** 3);
  const at = (index: number) => -1 + (2 * index) / (side - 1);
  for (let x = 0; x < side; x++)
    for (let y = 0; y < side; y++)
      for (let z = 0; z < side; z++) distances[(x * side + y) * side + z] = Math.hypot(at(x), at(y), at(z));
  return new OnnxGraphBuilder({ graphName: "image-to-sphere-sdf" })
    .addInput("image", "uint8", ["height", "width", 3])
    .addInitializer("distances", distances, [side, side, side])
    .addInitializer("scale", Float32Array.of(0.6 / 255), [])
    .addInitializer("offset", Float32Array.of(0.2), [])
    .addNode({ op: "Cast", inputs: ["image"], outputs: ["levels"], attributes: { to: { int: 1 } } })
    .addNode({
      op: "ReduceMean",
      inputs: ["levels"],
      outputs: ["mean"],
      attributes: { keepdims: { int: 0 } },
    })
    .addNode({ op: "Mul", inputs: ["mean", "scale"], outputs: ["scaled"] })
    .addNode({ op: "Add", inputs: ["scaled", "offset"], outputs: ["radius"] })
    .addNode({ op: "Sub", inputs: ["distances", "radius"], outputs: ["sdf"] })
    .addOutput("sdf", "float32", [side, side, side])
    .toBytes();
}
