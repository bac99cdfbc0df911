import {
  AmbientLight,
  Color,
  DirectionalLight,
  Material,
  Mesh,
  PerspectiveCamera,
  Points,
  Scene,
  WebGLRenderer,
  Line,
  type Object3D,
} from "three";
import { OrbitControls } from "three/examples/jsm/controls/OrbitControls.js";
import { fitCamera, type Bounds } from "./bounds";

/** The colour behind every 3D view; the end-to-end test checks the model's pixels differ from it. */
export const STAGE_BACKGROUND = "#eef1f5";
const FIELD_OF_VIEW = 45;

/**
 * A canvas with a lit scene, a perspective camera and orbit controls. It draws only when
 * something changed (a drag, a resize, new content), not every frame, so an idle page costs
 * nothing. `dispose` frees the GPU side of everything that was ever added.
 */
export interface ThreeStage {
  scene: Scene;
  camera: PerspectiveCamera;
  /** Frames `bounds` from the usual angle and makes it what the controls orbit around. */
  frame(bounds: Bounds): void;
  requestRender(): void;
  dispose(): void;
}

/**
 * The stage makes its own canvas inside `container` and removes it on dispose: a canvas whose
 * context was lost cannot draw again, so a view rebuilt (new data, a remount) needs a new one.
 */
export function createThreeStage(container: HTMLElement, label: string): ThreeStage {
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", label);
  container.prepend(canvas);
  // preserveDrawingBuffer keeps the last frame readable (toDataURL), which the browser tests use.
  const renderer = new WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
  renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
  const scene = new Scene();
  scene.background = new Color(STAGE_BACKGROUND);
  scene.add(new AmbientLight(0xffffff, 1.2));
  const camera = new PerspectiveCamera(FIELD_OF_VIEW, 1, 0.01, 100);
  const key = new DirectionalLight(0xffffff, 1.8);
  // The light rides with the camera, so the side one looks at is always lit.
  camera.add(key);
  key.position.set(1, 2, 3);
  scene.add(camera);
  const controls = new OrbitControls(camera, canvas);

  let pending = 0;
  const render = () => {
    pending = 0;
    renderer.render(scene, camera);
  };
  const requestRender = () => {
    if (pending === 0) pending = requestAnimationFrame(render);
  };
  controls.addEventListener("change", requestRender);

  const resize = () => {
    const width = canvas.clientWidth || canvas.width;
    const height = canvas.clientHeight || canvas.height;
    if (width === 0 || height === 0) return;
    renderer.setSize(width, height, false);
    camera.aspect = width / height;
    camera.updateProjectionMatrix();
    requestRender();
  };
  const observer = new ResizeObserver(resize);
  observer.observe(canvas);
  resize();

  return {
    scene,
    camera,
    frame(bounds) {
      const placement = fitCamera(bounds, FIELD_OF_VIEW, camera.aspect);
      camera.position.set(...placement.position);
      controls.target.set(...placement.target);
      // Zooming out far enough to lose the model, or into it, helps nobody; far covers the zoom range.
      const distance = camera.position.distanceTo(controls.target);
      controls.minDistance = distance / 20;
      controls.maxDistance = distance * 5;
      camera.near = Math.min(placement.near, controls.minDistance / 2);
      camera.far = Math.max(placement.far, distance * 6);
      camera.updateProjectionMatrix();
      controls.update();
      requestRender();
    },
    requestRender,
    dispose() {
      if (pending !== 0) cancelAnimationFrame(pending);
      observer.disconnect();
      controls.dispose();
      disposeTree(scene);
      renderer.dispose();
      // Browsers keep only a few contexts alive per page: give this one back now, not at GC.
      renderer.forceContextLoss();
      canvas.remove();
    },
  };
}

/** Frees the geometries, materials and textures under `root` (three.js never does so by itself). */
export function disposeTree(root: Object3D): void {
  root.traverse((object) => {
    if (object instanceof Mesh || object instanceof Points || object instanceof Line) {
      object.geometry.dispose();
      const materials: Material[] = Array.isArray(object.material) ? object.material : [object.material];
      for (const material of materials) {
        for (const value of Object.values(material)) {
          if (value && typeof value === "object" && "isTexture" in value)
            (value as { dispose(): void }).dispose();
        }
        material.dispose();
      }
    }
  });
}
