import { badInput, failedPrecondition, notFound } from "../errors";
import type { PrismaClient } from "../generated/prisma/client";
import { isUuid } from "../graphql/ids";
import { canSee, type Viewer } from "../users/access";
import { frameRoles, MIN_TRAIN_FRAMES } from "./frame-roles";
import { trustedGenerativeBackendOf } from "./generative-backend";
import type { ReconstructionMethod } from "./reconstruction-enums";

export const MAX_PROMPT_LENGTH = 1_000;

/** What each method reads from ReconstructionInput; anything else given is refused, not ignored. */
const inputsOf: Record<ReconstructionMethod, { required: string[]; allowed: string[] }> = {
  RADIANCE_FIELD: { required: ["sceneId"], allowed: ["sceneId"] },
  DEPTH_MESH: {
    required: ["image|sampleId", "modelVersionId"],
    allowed: ["image", "sampleId", "modelVersionId"],
  },
  TEXT_TO_3D: { required: ["prompt"], allowed: ["prompt", "modelVersionId"] },
  IMAGE_TO_3D: { required: ["image|sampleId"], allowed: ["image", "sampleId", "modelVersionId", "prompt"] },
};

export interface GivenInputs {
  sceneId?: string | null;
  image?: unknown;
  sampleId?: string | null;
  prompt?: string | null;
  modelVersionId?: string | null;
}

/** BAD_USER_INPUT for a missing input of the method, an input it does not use, or image and sampleId both. */
export function checkMethodInputs(method: ReconstructionMethod, input: GivenInputs): void {
  const given = (name: string) => input[name as keyof GivenInputs] != null;
  const { required, allowed } = inputsOf[method];
  for (const name of required) {
    const alternatives = name.split("|");
    if (!alternatives.some(given)) {
      throw badInput(`${method} needs ${alternatives.map((n) => `input.${n}`).join(" or ")}`, {
        field: alternatives[0],
      });
    }
  }
  for (const name of ["sceneId", "image", "sampleId", "prompt", "modelVersionId"]) {
    if (given(name) && !allowed.includes(name)) {
      throw badInput(`input.${name} is not used by ${method}; leave it out`, { field: name });
    }
  }
  if (given("image") && given("sampleId")) {
    throw badInput("Give input.image or input.sampleId, not both", { field: "sampleId" });
  }
}

/** The prompt as stored: 1 to MAX_PROMPT_LENGTH characters once surrounding space is trimmed. */
export function checkPrompt(prompt: string | null | undefined): string | null {
  if (prompt == null) return null;
  const trimmed = prompt.trim();
  if (trimmed.length === 0)
    throw badInput("input.prompt is empty; describe the object to make", { field: "prompt" });
  if ([...trimmed].length > MAX_PROMPT_LENGTH) {
    throw badInput(
      `input.prompt must be at most ${MAX_PROMPT_LENGTH} characters, got ${[...trimmed].length}`,
      {
        field: "prompt",
      },
    );
  }
  return trimmed;
}

export interface SceneForReconstruction {
  id: string;
  background: string;
  width: number;
  height: number;
  frames: number;
}

/** A scene the viewer can see (else NOT_FOUND) with at least MIN_TRAIN_FRAMES frames to train on. */
export async function sceneToReconstruct(
  prisma: PrismaClient,
  viewer: Viewer,
  id: string,
): Promise<SceneForReconstruction> {
  const scene = isUuid(id)
    ? await prisma.scene.findUnique({
        where: { id },
        include: { frames: { select: { split: true }, orderBy: { index: "asc" } } },
      })
    : null;
  if (!scene || !canSee(viewer, { ownerId: scene.ownerId, isPublic: scene.public }))
    throw notFound(`Scene ${id}`);
  const training = frameRoles(scene.frames.map((frame) => frame.split)).filter(
    (role) => role === "TRAIN",
  ).length;
  if (training < MIN_TRAIN_FRAMES) {
    throw badInput(
      `Scene ${id} has ${training} frames to train on; a radiance field needs at least ${MIN_TRAIN_FRAMES}`,
      { field: "sceneId" },
    );
  }
  return {
    id,
    background: scene.background,
    width: scene.width,
    height: scene.height,
    frames: scene.frames.length,
  };
}

/** A dataset sample the viewer can see (else NOT_FOUND): its image's blob. */
export async function sampleImage(prisma: PrismaClient, viewer: Viewer, id: string) {
  const sample = isUuid(id)
    ? await prisma.sample.findUnique({ where: { id }, include: { dataset: true } })
    : null;
  if (!sample || !canSee(viewer, sample.dataset)) throw notFound(`Sample ${id}`);
  return { sampleId: sample.id, sha256: sample.sha256 };
}

type ModelType = "DEPTH_ESTIMATION" | "TEXT_TO_3D" | "IMAGE_TO_3D";

const modelTypeOf: Record<Exclude<ReconstructionMethod, "RADIANCE_FIELD">, ModelType> = {
  DEPTH_MESH: "DEPTH_ESTIMATION",
  TEXT_TO_3D: "TEXT_TO_3D",
  IMAGE_TO_3D: "IMAGE_TO_3D",
};

/**
 * The model version the method runs: the given one when the viewer can see it (else NOT_FOUND),
 * its model is of the method's type (else BAD_USER_INPUT) and it is deployed and READY (else
 * FAILED_PRECONDITION naming what to deploy) — or, generative, its model is an admin's and names a
 * Triton model in its metadata (generative-backend.ts). Without one (generative methods), the newest READY
 * deployment of that type the viewer can see, theirs first.
 */
export async function modelToRun(
  prisma: PrismaClient,
  viewer: Viewer,
  method: Exclude<ReconstructionMethod, "RADIANCE_FIELD">,
  versionId: string | null | undefined,
): Promise<string> {
  const type = modelTypeOf[method];
  if (versionId == null) return deployedModelOfType(prisma, viewer, type);
  const version = isUuid(versionId)
    ? await prisma.modelVersion.findUnique({
        where: { id: versionId },
        include: { model: { include: { owner: { select: { role: true } } } }, deployment: true },
      })
    : null;
  if (!version || !canSee(viewer, version.model)) throw notFound(`Model version ${versionId}`);
  if (version.model.modelType !== type) {
    throw badInput(
      `${method} needs a model of type ${type}; "${version.model.slug}" is of type ${version.model.modelType}`,
      { field: "modelVersionId" },
    );
  }
  // A model served by Triton under its own name needs no deployment here; the tier checks Triton.
  // Only an admin's model may say so (generative-backend.ts): anyone else's faces the deployment check.
  if (
    method !== "DEPTH_MESH" &&
    trustedGenerativeBackendOf(version.customMetadata, version.model.owner.role)
  ) {
    return version.id;
  }
  if (version.deployment?.state !== "READY") {
    throw failedPrecondition(
      `Model version ${version.version} of "${version.model.slug}" is not deployed and ready` +
        (version.deployment ? ` (it is ${version.deployment.state})` : "") +
        `: deploy it (deployModelVersion) and try again`,
      { field: "modelVersionId" },
    );
  }
  return version.id;
}

async function deployedModelOfType(prisma: PrismaClient, viewer: Viewer, type: ModelType): Promise<string> {
  const deployments = await prisma.deployment.findMany({
    where: {
      state: "READY",
      modelVersion: {
        model: {
          modelType: type,
          ...(viewer.role === "ADMIN" ? {} : { OR: [{ ownerId: viewer.id }, { isPublic: true }] }),
        },
      },
    },
    include: { modelVersion: { include: { model: { select: { ownerId: true } } } } },
    orderBy: { updatedAt: "desc" },
  });
  const own = deployments.find((deployment) => deployment.modelVersion.model.ownerId === viewer.id);
  const chosen = own ?? deployments[0];
  if (!chosen) {
    throw failedPrecondition(
      `No model of type ${type} is deployed: deploy a model version of type ${type} (a KServe v2 backend ` +
        `on a tier), or register one whose customMetadata names the model Triton serves at the tier's ` +
        `TRITON_URL ({"kserveModel": {"name": …}}; see deploy/shap-e-triton) and pass its modelVersionId`,
      { field: "modelVersionId" },
    );
  }
  return chosen.modelVersionId;
}
