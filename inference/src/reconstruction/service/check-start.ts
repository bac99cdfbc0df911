import type { ReconstructStart__Output } from "@tessera/proto/generated/tessera/reconstruction/v1/ReconstructStart";
import { invalidArgument } from "../../runtime/errors";
import type { Vec3 } from "../contracts";
import { checkBounds, checkOutputSettings } from "./check-common";
import { checkRadianceFieldStart, type RadianceFieldLimits } from "./check-radiance-field";
import { reconstructionLimits as limits } from "./reconstruction-limits";
import type { ModelChoice, ReconstructionPlan } from "./reconstruction-plan";

/**
 * Checks a ReconstructStart for its method, so that a run that can never succeed is refused at
 * once with the status the proto names (INVALID_ARGUMENT, RESOURCE_EXHAUSTED) before any frame is
 * decoded or any grid allocated.
 */
export function checkStart(start: ReconstructStart__Output, tier: RadianceFieldLimits): ReconstructionPlan {
  switch (start.method) {
    case "RADIANCE_FIELD":
      return checkRadianceFieldStart(start, tier);
    case "DEPTH_MESH":
      return {
        method: "DEPTH_MESH",
        model: checkModel(start),
        image: checkImage(start),
        fieldOfViewDegrees: checkFieldOfView(start.field_of_view_degrees),
        meshCells: checkMeshCells(start.mesh_cells),
        depthKind: checkDepthKind(checkParameters(start.parameters)),
        output: checkOutputSettings(start),
      };
    case "TEXT_TO_3D":
    case "IMAGE_TO_3D": {
      const bounds = start.bounds_min.length + start.bounds_max.length > 0 ? checkBounds(start) : unitCube;
      return {
        method: start.method,
        model: checkModel(start),
        prompt: start.method === "TEXT_TO_3D" ? checkPrompt(start.prompt) : "",
        image: start.method === "IMAGE_TO_3D" ? checkImage(start) : Buffer.alloc(0),
        parameters: checkParameters(start.parameters),
        ...bounds,
        output: checkOutputSettings(start),
      };
    }
    default:
      throw invalidArgument(
        `method must be RADIANCE_FIELD, DEPTH_MESH, TEXT_TO_3D or IMAGE_TO_3D, got ${String(start.method)}`,
      );
  }
}

const unitCube = { boundsMin: [-1, -1, -1] as Vec3, boundsMax: [1, 1, 1] as Vec3 };

function checkModel(start: ReconstructStart__Output): ModelChoice {
  const name = start.model?.name ?? "";
  if (!name) throw invalidArgument(`${start.method} needs model.name: the model to run`);
  return { name, version: start.model?.version ?? "", tritonOnly: start.model?.triton_only ?? false };
}

function checkImage(start: ReconstructStart__Output): Buffer {
  if (start.image.length === 0) throw invalidArgument(`${start.method} needs image: PNG, JPEG or WebP bytes`);
  return start.image;
}

function checkPrompt(prompt: string): string {
  const text = prompt.trim();
  if (!text) throw invalidArgument("TEXT_TO_3D needs a prompt: it is empty");
  if ([...prompt].length > limits.promptCharacters) {
    throw invalidArgument(
      `The prompt is ${[...prompt].length} characters long; at most ${limits.promptCharacters} are accepted`,
    );
  }
  return prompt;
}

function checkFieldOfView(degrees: number): number {
  const { min, max, default: fallback } = limits.fieldOfViewDegrees;
  if (degrees === 0) return fallback;
  if (!(degrees > min && degrees < max)) {
    throw invalidArgument(`field_of_view_degrees must be above ${min} and below ${max}, got ${degrees}`);
  }
  return degrees;
}

function checkMeshCells(cells: number): number {
  const { min, max, default: fallback } = limits.meshCells;
  if (cells === 0) return fallback;
  if (cells < min || cells > max)
    throw invalidArgument(`mesh_cells must be between ${min} and ${max}, got ${cells}`);
  return cells;
}

function checkDepthKind(parameters: Record<string, string>): "depth" | "disparity" {
  const kind = parameters.depth_kind ?? "disparity";
  if (kind === "depth" || kind === "disparity") return kind;
  throw invalidArgument(
    `parameters["depth_kind"] must be "disparity" or "depth", got "${kind.slice(0, 40)}"`,
  );
}

function checkParameters(parameters: Record<string, string>): Record<string, string> {
  const entries = Object.entries(parameters);
  if (entries.length > limits.parameters) {
    throw invalidArgument(
      `parameters has ${entries.length} entries; at most ${limits.parameters} are accepted`,
    );
  }
  for (const [key, value] of entries) {
    if (!key || key.length > limits.parameterKeyLength) {
      throw invalidArgument(`parameters keys must be 1 to ${limits.parameterKeyLength} characters long`);
    }
    if (value.length > limits.parameterValueLength) {
      throw invalidArgument(
        `parameters["${key}"] is ${value.length} characters long; at most ${limits.parameterValueLength} are accepted`,
      );
    }
  }
  return parameters;
}
