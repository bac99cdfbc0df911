import {
  Box3,
  Box3Helper,
  BufferGeometry,
  Color,
  Float32BufferAttribute,
  LineBasicMaterial,
  LineSegments,
  Vector3,
} from "three";
import type { Bounds } from "../viewer/bounds";
import { createThreeStage } from "../viewer/three-stage";
import { SPLIT_COLOURS } from "./split-colours";
import { frustumDepth, frustumSegments, rigBounds, type FrameCamera } from "./camera-frustums";

export interface RigCamera extends FrameCamera {
  split: string;
}

/** The scene's bounds as a box and every frame's camera as a pyramid around it, orbitable. */
export function createCameraRigScene(
  container: HTMLElement,
  label: string,
  cameras: readonly RigCamera[],
  bounds: Bounds,
) {
  const stage = createThreeStage(container, label);
  const box = new Box3(new Vector3(...bounds.min), new Vector3(...bounds.max));
  stage.scene.add(new Box3Helper(box, new Color("#5b6470")));

  const depth = frustumDepth(cameras, bounds);
  const bySplit = new Map<string, number[]>();
  for (const camera of cameras) {
    const list = bySplit.get(camera.split) ?? [];
    list.push(...frustumSegments(camera, depth));
    bySplit.set(camera.split, list);
  }
  for (const [split, positions] of bySplit) {
    const geometry = new BufferGeometry();
    geometry.setAttribute("position", new Float32BufferAttribute(positions, 3));
    const material = new LineBasicMaterial({ color: SPLIT_COLOURS[split] ?? "#1b1f24" });
    stage.scene.add(new LineSegments(geometry, material));
  }
  stage.frame(rigBounds(cameras, bounds));
  return { dispose: () => stage.dispose() };
}
