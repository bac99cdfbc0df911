import { failedPrecondition, TierError } from "../../runtime/errors";
import type { GenerativePlan } from "./reconstruction-plan";
import { reconstructionLimits as limits } from "./reconstruction-limits";

/**
 * The backend contract of TEXT_TO_3D and IMAGE_TO_3D over KServe v2. A model takes `prompt`
 * (BYTES, [1]: UTF-8 text) or `image` (UINT8, [H, W, 3]: RGB rows top to bottom), each with a
 * leading batch dimension of 1 when the model batches, plus the request's parameters as string
 * parameters; it answers `mesh_glb` (BYTES, one element: a glTF 2.0 binary, +Y up) or `density`
 * / `sdf` (FP32, [N, N, N] in C order [x][y][z], spanning the request's bounds, else the cube ±1;
 * density is σ per world unit, an sdf is negative inside: mesh/field-from-grid.ts states both).
 */
export const generativeInputs = { TEXT_TO_3D: "prompt", IMAGE_TO_3D: "image" } as const;
export const generativeOutputs = ["mesh_glb", "density", "sdf"] as const;
export type GenerativeOutput = (typeof generativeOutputs)[number];

/** A backend's answer, checked. */
export type GenerativeAnswer =
  { kind: "mesh_glb"; glb: Uint8Array } | { kind: "density" | "sdf"; side: number; values: Float32Array };

/** Tensors as a backend describes them (KServe v2 metadata: wire datatypes, -1 for dynamic). */
export interface BackendSignature {
  inputs: ReadonlyArray<{ name: string; datatype: string }>;
  outputs: ReadonlyArray<{ name: string; datatype: string }>;
}

/** What an operator must deploy for `plan`, in the words of a FAILED_PRECONDITION. */
export function deployHint(plan: Pick<GenerativePlan, "method">): string {
  const input = plan.method === "TEXT_TO_3D" ? "prompt (BYTES, [1])" : "image (UINT8, [H, W, 3])";
  return (
    `deploy a ${plan.method} model that takes ${input} and answers mesh_glb (BYTES) or density / sdf ` +
    "(FP32, [N, N, N]) on this tier or on the Triton server at TRITON_URL (see deploy/shap-e-triton)"
  );
}

export const modelName = (plan: Pick<GenerativePlan, "model">) =>
  `model "${plan.model.name}"${plan.model.version ? ` version ${plan.model.version}` : ""}`;

/** The output to read, or FAILED_PRECONDITION when the model does not follow the contract. */
export function checkSignature(plan: GenerativePlan, signature: BackendSignature): GenerativeOutput {
  const wanted = generativeInputs[plan.method];
  const wantedType = plan.method === "TEXT_TO_3D" ? "BYTES" : "UINT8";
  const input = signature.inputs.find((candidate) => candidate.name === wanted);
  if (!input || input.datatype !== wantedType) {
    throw failedPrecondition(
      `${modelName(plan)} does not take ${wanted} (${wantedType}); its inputs are ` +
        `${signature.inputs.map((entry) => `${entry.name} (${entry.datatype})`).join(", ") || "none"}: ${deployHint(plan)}`,
    );
  }
  const output = generativeOutputs.find((name) => signature.outputs.some((entry) => entry.name === name));
  if (!output) {
    throw failedPrecondition(
      `${modelName(plan)} answers none of mesh_glb, density, sdf: ${deployHint(plan)}`,
    );
  }
  return output;
}

/** A grid output's values and side, or an error naming what came instead. */
export function checkGrid(
  plan: GenerativePlan,
  kind: "density" | "sdf",
  shape: readonly number[],
  values: Float32Array,
): GenerativeAnswer {
  // A batching model answers [1, N, N, N].
  const dims = shape.length === 4 && shape[0] === 1 ? shape.slice(1) : [...shape];
  const side = dims[0] ?? 0;
  if (dims.length !== 3 || dims.some((dim) => dim !== side) || side < 2 || side > limits.gridSide) {
    throw backendBroke(
      plan,
      `${kind} of shape [${shape.join(", ")}]; expected [N, N, N] with 2 ≤ N ≤ ${limits.gridSide}`,
    );
  }
  if (values.length !== side ** 3)
    throw backendBroke(plan, `${kind} with ${values.length} values for [${shape.join(", ")}]`);
  return { kind, side, values };
}

/** The backend answered against its own contract: the tier cannot make a mesh of it. */
export function backendBroke(plan: GenerativePlan, what: string): TierError {
  return new TierError("FAILED_PRECONDITION", `${modelName(plan)} answered ${what}; ${deployHint(plan)}`);
}
