import { createHash } from "node:crypto";
import { failedPrecondition } from "../../runtime/errors";
import type { ModelDescription, TensorSpec } from "../../runtime/model-runner";
import { pooled } from "../../tasks/backbone-embedding";
import { planImageInput, type ImageInputPlan } from "../../tasks/model-input";
import { describeModel } from "../../tasks/model-task";
import { inferEncodedImages, inferImages } from "../../tasks/run-images";
import type { TaskContext } from "../../tasks/task-context";
import { chooseFeatureOutput, unusableOutput, withBatch } from "./feature-output";
import type { ResolvedFeatureBase } from "./feature-source";

/** Side of the grey image run to learn an output's shape when the model's own size is dynamic. */
const probeSize = 224;

/**
 * A model in the repository as a frozen base: images go in as the task API feeds them (same
 * preprocessing and batching), the feature output comes back averaged over space when it is a
 * map. Features are the raw values, not normalised: the head standardises them.
 */
export async function modelFeatureBase(
  context: TaskContext,
  model: ModelDescription,
  requestedOutput: string,
  signal: AbortSignal,
): Promise<ResolvedFeatureBase> {
  const output = chooseFeatureOutput(model, requestedOutput);
  const plan = planImageInput(model, { dense: false });
  if (output.dataType !== "FLOAT32") {
    throw unusableOutput(model, output.name, `it is ${output.dataType}`);
  }
  if (!plan.hasBatchDimension) {
    throw unusableOutput(model, output.name, "the model's image input has no batch dimension");
  }
  const layout = plan.normalisation.layout;
  const shape = await featureShape(context, model, plan, output, signal);
  const map = shape.length === 4 ? layout : null;
  const dimension = shape[map === "NHWC" ? 3 : 1]!;
  return {
    key: `${model.name}/v${model.version}/${output.name}@${preprocessingDigest(plan)}`,
    dimension,
    source: { kind: "model", name: model.name, version: model.version, output: output.name, map },
    async extract(images, extractSignal) {
      const { outputs } = await inferEncodedImages(context, model, plan, images, output.name, extractSignal);
      return outputs.map((perImage) => {
        const vector = Float32Array.from(pooled(perImage, layout));
        if (vector.length !== dimension) {
          throw failedPrecondition(
            `${describeModel(model)} returned ${vector.length} features from "${output.name}" (shape [${perImage.shape.join(", ")}] per image); expected ${dimension}`,
          );
        }
        return vector;
      });
    },
  };
}

/**
 * The feature output's shape with its batch dimension, rank 2 or 4 and its feature width known.
 * Where the file leaves the rank or the width open, one grey image is run to see them.
 */
async function featureShape(
  context: TaskContext,
  model: ModelDescription,
  plan: ImageInputPlan,
  output: TensorSpec,
  signal: AbortSignal,
): Promise<number[]> {
  const declared = withBatch(model, output);
  const checked = checkShape(model, output.name, plan, declared, false);
  if (checked) return checked;
  const size = plan.size ?? { width: probeSize, height: probeSize };
  const grey = new Uint8Array(size.width * size.height * 3).fill(128);
  const [probed] = await inferImages(
    context.runner,
    model,
    plan,
    [{ ...size, data: grey }],
    output.name,
    signal,
  );
  return checkShape(model, output.name, plan, [1, ...probed!.shape], true)!;
}

/** The shape when it serves; null when a run must tell (unless `final`); throws when it cannot serve. */
function checkShape(
  model: ModelDescription,
  output: string,
  plan: ImageInputPlan,
  shape: number[],
  final: boolean,
): number[] | null {
  if (shape.length === 0 && !final) return null;
  if (shape.length !== 2 && shape.length !== 4) {
    throw unusableOutput(model, output, `it has rank ${shape.length} ([${shape.join(", ")}])`);
  }
  const width = shape[shape.length === 4 && plan.normalisation.layout === "NHWC" ? 3 : 1]!;
  if (width > 0) return shape;
  if (!final) return null;
  throw unusableOutput(model, output, `its feature width is ${width} ([${shape.join(", ")}])`);
}

/**
 * The same model version gives other features when deployed with other preprocessing: the
 * feature cache's key carries a digest of it.
 */
function preprocessingDigest(plan: ImageInputPlan): string {
  const { size, fit, normalisation } = plan;
  return createHash("sha256").update(JSON.stringify({ size, fit, normalisation })).digest("hex").slice(0, 12);
}
