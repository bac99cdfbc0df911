import { registerEnumType } from "type-graphql";
import { ReconstructionArtifactKind, ReconstructionMethod } from "../generated/prisma/enums";

export { ReconstructionArtifactKind, ReconstructionMethod };

registerEnumType(ReconstructionMethod, {
  name: "ReconstructionMethod",
  description: "How a reconstruction is made",
  valuesConfig: {
    RADIANCE_FIELD: {
      description: "A dense voxel radiance field optimised on a scene's posed photos (built in, CPU)",
    },
    DEPTH_MESH: {
      description: "One image → a deployed DEPTH_ESTIMATION model → a textured 2.5D height-field mesh",
    },
    TEXT_TO_3D: { description: "A prompt → a deployed TEXT_TO_3D model (a KServe v2 backend) → a mesh" },
    IMAGE_TO_3D: { description: "One image → a deployed IMAGE_TO_3D model (a KServe v2 backend) → a mesh" },
  },
});

registerEnumType(ReconstructionArtifactKind, {
  name: "ReconstructionArtifactKind",
  description: "A file a reconstruction produced",
  valuesConfig: {
    MESH_GLB: { description: "The mesh, glTF 2.0 binary (+Y up, metres)" },
    POINT_CLOUD_PLY: { description: "A point cloud, binary little-endian PLY (float xyz, uchar rgb)" },
    RENDER_PNG: { description: "A render of a held-out view (`frame` is its index)" },
    TURNTABLE_PNG: { description: "One frame of a turntable around the result (`frame` is its number)" },
    PREVIEW_PNG: { description: "A render taken while optimising (`step` says when)" },
  },
});
