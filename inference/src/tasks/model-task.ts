import { failedPrecondition } from "../runtime/errors";
import type { ModelDescription, ModelTask } from "../runtime/model-runner";

/** "model "resnet" version 3", as messages name a model. */
export function describeModel(model: Pick<ModelDescription, "name" | "version">): string {
  return `model "${model.name}" version ${model.version}`;
}

/** FAILED_PRECONDITION naming the model's task when it is none of those the call serves. */
export function requireTask(model: ModelDescription, rpc: string, accepted: readonly ModelTask[]): void {
  if (accepted.includes(model.task)) return;
  const wanted = accepted.map((task) => `${/^[aeiou]/.test(task) ? "an" : "a"} ${task}`).join(" or ");
  throw failedPrecondition(`${rpc} needs ${wanted} model; ${describeModel(model)} is a ${model.task} model`);
}

/** The model's label for class `index`, or "class_<index>" where it has none. */
export function labelOf(model: Pick<ModelDescription, "labels">, index: number): string {
  return model.labels[index] ?? `class_${index}`;
}
