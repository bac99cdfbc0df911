export { extractMesh, type ExtractMeshOptions } from "./extract-mesh.js";
export { meshToGlb, meshStats, type GlbOptions, type MeshStats } from "./glb-writer.js";
export { gltfUpRotation } from "./orientation.js";
export { pointCloudPly } from "./point-cloud-ply.js";
export { readGlb, InvalidGlbError } from "./glb-reader.js";
export { fieldFromGrid, DENSITY_SURFACE_ALPHA, MAX_BACKEND_GRID } from "./field-from-grid.js";
export {
  heightFieldMesh,
  HEIGHT_FIELD_CELLS,
  DEFAULT_DISCONTINUITY,
  type DepthMap,
  type Photo,
  type HeightFieldOptions,
} from "./height-field.js";
export { rasterizeMesh } from "./rasterize.js";
export { orbitCameras, type OrbitOptions } from "./orbit-cameras.js";
