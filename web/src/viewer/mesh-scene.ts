import {
  Box3,
  BufferGeometry,
  Group,
  Mesh,
  MeshStandardMaterial,
  Points,
  PointsMaterial,
  type Material,
  type Object3D,
} from "three";
import { GLTFLoader } from "three/examples/jsm/loaders/GLTFLoader.js";
import { PLYLoader } from "three/examples/jsm/loaders/PLYLoader.js";
import type { Bounds } from "./bounds";
import { createThreeStage, disposeTree } from "./three-stage";

export interface MeshSceneOptions {
  /** The GLB to show (a signed URL). */
  meshUrl: string;
  /** The PLY point cloud; without one, the point view shows the mesh's own vertices. */
  pointCloudUrl: string | null;
  /** The mesh's bounds as the API states them: framed when the file has no extent of its own. */
  bounds: Bounds | null;
  /** The canvas's accessible name. */
  label: string;
}

/** A mesh on a stage, with the two ways of looking at it the viewer offers. */
export interface MeshScene {
  setWireframe(on: boolean): void;
  /** Swaps the surface for its points (loading the PLY the first time). */
  setPointCloud(on: boolean): Promise<void>;
  dispose(): void;
}

/** Loads the GLB and frames it; rejects when the file cannot be fetched or read. */
export async function createMeshScene(
  container: HTMLElement,
  options: MeshSceneOptions,
  signal: AbortSignal,
): Promise<MeshScene> {
  const stage = createThreeStage(container, options.label);
  let disposed = false;
  try {
    const gltf = await new GLTFLoader().loadAsync(options.meshUrl);
    const surface = gltf.scene;
    if (signal.aborted) {
      disposeTree(surface);
      throw signal.reason;
    }
    stage.scene.add(surface);
    // The file's own extent first: it is what is drawn, in the GLB's +Y-up frame.
    stage.frame(measuredBounds(surface) ?? options.bounds ?? { min: [-1, -1, -1], max: [1, 1, 1] });
    let points: Object3D | null = null;
    let pointsLoading: Promise<Object3D> | null = null;

    const loadPoints = async (): Promise<Object3D> => {
      if (options.pointCloudUrl) {
        const geometry = await new PLYLoader().loadAsync(options.pointCloudUrl);
        return new Points(geometry, pointMaterial(geometry));
      }
      return verticesAsPoints(surface);
    };

    return {
      setWireframe(on) {
        forEachMaterial(surface, (material) => {
          if ("wireframe" in material) (material as MeshStandardMaterial).wireframe = on;
        });
        stage.requestRender();
      },
      async setPointCloud(on) {
        if (on && !points) {
          pointsLoading ??= loadPoints();
          const loaded = await pointsLoading;
          if (disposed) return disposeTree(loaded);
          if (!points) stage.scene.add((points = loaded));
        }
        surface.visible = !on;
        if (points) points.visible = on;
        stage.requestRender();
      },
      dispose() {
        disposed = true;
        stage.dispose();
      },
    };
  } catch (error) {
    stage.dispose();
    throw error;
  }
}

function measuredBounds(object: Object3D): Bounds | null {
  const box = new Box3().setFromObject(object);
  if (box.isEmpty()) return null;
  return { min: box.min.toArray(), max: box.max.toArray() };
}

function forEachMaterial(root: Object3D, visit: (material: Material) => void) {
  root.traverse((object) => {
    if (!(object instanceof Mesh)) return;
    const materials: Material[] = Array.isArray(object.material) ? object.material : [object.material];
    materials.forEach(visit);
  });
}

/** Points two pixels wide whatever the scene's scale or the zoom. */
function pointMaterial(geometry: BufferGeometry): PointsMaterial {
  return new PointsMaterial({
    size: 2,
    sizeAttenuation: false,
    vertexColors: geometry.hasAttribute("color"),
    color: geometry.hasAttribute("color") ? 0xffffff : 0x3a6ea5,
  });
}

/** The mesh's vertices drawn as points, sharing its positions and colours (no copy). */
function verticesAsPoints(surface: Object3D): Object3D {
  const group = new Group();
  surface.updateMatrixWorld(true);
  surface.traverse((object) => {
    if (!(object instanceof Mesh)) return;
    const source = object.geometry as BufferGeometry;
    const geometry = new BufferGeometry();
    geometry.setAttribute("position", source.getAttribute("position"));
    if (source.hasAttribute("color")) geometry.setAttribute("color", source.getAttribute("color"));
    const cloud = new Points(geometry, pointMaterial(geometry));
    cloud.applyMatrix4(object.matrixWorld);
    group.add(cloud);
  });
  return group;
}
