import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { connectionOf, type Connection } from "../graphql/connection";
import { limitNotes } from "../limits";
import { SkippedFile } from "../datasets/datasets.types";
import { FrameSplit, SceneFormat } from "../generated/prisma/enums";
import { sceneLimitNotes } from "./scene-limits";

export { FrameSplit, SceneFormat };

registerEnumType(SceneFormat, {
  name: "SceneFormat",
  description: "The camera-pose format a scene's archive came in",
  valuesConfig: {
    BLENDER: {
      description: "NeRF-synthetic / Blender: transforms_{train,val,test}.json with camera_angle_x",
    },
    INSTANT_NGP: { description: "instant-ngp transforms.json: fl_x fl_y cx cy w h, distortion, aabb_scale" },
    NERFSTUDIO: { description: "nerfstudio transforms.json: intrinsics at the top level or per frame" },
    COLMAP: { description: "Photos without poses, posed by COLMAP on the server" },
  },
});
registerEnumType(FrameSplit, { name: "FrameSplit", description: "Which part of a scene a frame belongs to" });

@ObjectType({ description: "A posed capture: photos with their cameras, the input of reconstructions" })
export class Scene {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Boolean, { description: "Whether every user can see it (private by default)" })
  public!: boolean;

  @Field(() => String, { description: 'The colour RGBA photos were composited on, "#rrggbb"' })
  background!: string;

  @Field(() => SceneFormat)
  format!: SceneFormat;

  @Field(() => Int, { description: "Every frame's width in pixels" })
  width!: number;

  @Field(() => Int, { description: "Every frame's height in pixels" })
  height!: number;

  @Field(() => Int)
  frameCount!: number;

  @Field(() => Float, { nullable: true, description: "instant-ngp's aabb_scale when the archive gave one" })
  aabbScale!: number | null;

  @Field(() => Float, { description: "The stored frames' bytes (images and thumbnails)" })
  sizeBytes!: number;

  @Field(() => Date)
  createdAt!: Date;

  ownerId!: string;
  boundsMin!: number[];
  boundsMax!: number[];
}

@ObjectType({ description: "An axis-aligned box in the scene's world (OpenGL, +Y up)" })
export class SceneBounds {
  @Field(() => [Float], { description: "[x, y, z]" })
  min!: number[];

  @Field(() => [Float], { description: "[x, y, z]" })
  max!: number[];
}

@ObjectType({ description: "A frame's pinhole camera in pixels, OpenCV distortion, and its pose" })
export class SceneCamera {
  @Field(() => Float)
  fx!: number;

  @Field(() => Float)
  fy!: number;

  @Field(() => Float)
  cx!: number;

  @Field(() => Float)
  cy!: number;

  @Field(() => Float)
  k1!: number;

  @Field(() => Float)
  k2!: number;

  @Field(() => Float)
  p1!: number;

  @Field(() => Float)
  p2!: number;

  @Field(() => String, { description: "PINHOLE, SIMPLE_PINHOLE, OPENCV, …" })
  model!: string;

  @Field(() => [Float], {
    description: "Camera-to-world, 16 numbers row by row, OpenGL (the camera looks down -Z, +Y up)",
  })
  transform!: number[];
}

@ObjectType({ description: "One photo of a scene with its camera; stored as RGB PNG" })
export class SceneFrame {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: "0, 1, … in the archive's order: train frames, then val, then test" })
  index!: number;

  @Field(() => String, { description: "The path the transforms named, as given" })
  filePath!: string;

  @Field(() => FrameSplit)
  split!: FrameSplit;

  @Field(() => Int)
  width!: number;

  @Field(() => Int)
  height!: number;

  @Field(() => SceneCamera)
  camera!: SceneCamera;

  sceneId!: string;
}

@InputType({ description: "A new scene's details" })
export class SceneInput {
  @Field(() => String, { description: limitNotes.name })
  name!: string;

  @Field(() => String, { nullable: true, description: limitNotes.description })
  description?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  public?: boolean | null;

  @Field(() => String, {
    nullable: true,
    defaultValue: "#ffffff",
    description: 'What RGBA photos are composited on, "#rrggbb" (white by default)',
  })
  background?: string | null;
}

@InputType()
export class SceneFilter {
  @Field(() => String, { nullable: true, description: "Owner's handle" })
  owner?: string | null;

  @Field(() => Boolean, { nullable: true })
  public?: boolean | null;

  @Field(() => SceneFormat, { nullable: true })
  format?: SceneFormat | null;
}

@ObjectType({
  description: `What createScene stored, and the frames it left out (${sceneLimitNotes.frames})`,
})
export class SceneUploadResult {
  @Field(() => Scene)
  scene!: Scene;

  @Field(() => [SkippedFile], { description: "Listed frames not stored, and why, in listing order" })
  skipped!: SkippedFile[];
}

export const SceneConnection = connectionOf(() => Scene, "Scene");
export type SceneConnection = Connection<Scene>;
