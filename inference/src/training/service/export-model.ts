import type { ExportModelRequest__Output } from "@tessera/proto/generated/tessera/training/v1/ExportModelRequest";
import { invalidArgument } from "../../runtime/errors";
import { resolveFeatureBase } from "../base/feature-base";
import { CheckpointError, type HeadWeights } from "../contracts";
import { exportTrainedModel, type ExportBase } from "../export/trained-model";
import { headFromCheckpoint } from "../head";
import type { TrainingContext } from "./training-context";

/** The trained head on its base as one ONNX model (ExportModel's bytes before chunking). */
export async function exportModel(
  context: TrainingContext,
  request: ExportModelRequest__Output,
  signal: AbortSignal,
): Promise<Uint8Array> {
  if (request.checkpoint.byteLength === 0) {
    throw invalidArgument(
      "checkpoint is required: the TrainingResult.checkpoint (or a Checkpoint.state) to export",
    );
  }
  const head = headOf(request.checkpoint);
  const base = await resolveFeatureBase(
    context.tasks,
    request.base ?? { model_name: "", model_version: "", feature_output: "" },
    signal,
  );
  const { source } = base;
  const exportBase: ExportBase =
    source.kind === "model" ? { ...source, onnx: await context.readModelFile(source) } : source;
  return exportTrainedModel({ base: exportBase, head, labels: request.labels, metadata: request.metadata });
}

function headOf(checkpoint: Uint8Array): HeadWeights {
  try {
    return headFromCheckpoint(checkpoint);
  } catch (error) {
    if (error instanceof CheckpointError) throw invalidArgument(error.message);
    throw error;
  }
}
